package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
)

// checkBody refuses a JSON body in which an object names the same key twice.
// encoding/json keeps the last one silently, so {"type":"business",
// "type":"enabler"} would create an enabler without a word; a person who sent
// it meant something else, and is better told. It runs once the caller is
// authenticated, and leaves r.Body ready for huma to read again.
func checkBody(r *http.Request) *Problem {
	if r.Body == nil || r.ContentLength == 0 || !isJSON(r.Header.Get("Content-Type")) {
		return nil
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes+1))
	r.Body.Close()
	if err != nil {
		return newProblem(kindBadRequest, "the request body could not be read")
	}
	if len(body) > maxBodyBytes {
		return newProblem(kindTooLarge, fmt.Sprintf("the request body is larger than %d bytes", maxBodyBytes))
	}
	if path, key, dup := duplicateKey(body); dup {
		field := strings.TrimPrefix(path+"."+key, ".")
		return newProblem(kindBadRequest, fmt.Sprintf("%s appears twice in the body; send each field once", field),
			ProblemError{Field: field, Location: "body." + field, Rule: "duplicate_key", Message: field + " appears twice"})
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	return nil
}

func isJSON(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && (mt == "application/json" || strings.HasSuffix(mt, "+json"))
}

// duplicateKey walks the JSON document and reports the first object key that
// appears twice in one object, with the dotted path of that object. Malformed
// JSON is left for the decoder to report.
func duplicateKey(body []byte) (path, key string, found bool) {
	dec := json.NewDecoder(bytes.NewReader(body))
	var walk func(path string) (string, string, bool, error)
	walk = func(path string) (string, string, bool, error) {
		tok, err := dec.Token()
		if err != nil {
			return "", "", false, err
		}
		switch tok {
		case json.Delim('{'):
			seen := map[string]bool{}
			for dec.More() {
				t, err := dec.Token()
				if err != nil {
					return "", "", false, err
				}
				k, _ := t.(string)
				if seen[k] {
					return path, k, true, nil
				}
				seen[k] = true
				if p, k2, dup, err := walk(strings.TrimPrefix(path+"."+k, ".")); dup || err != nil {
					return p, k2, dup, err
				}
			}
			_, err = dec.Token() // '}'
			return "", "", false, err
		case json.Delim('['):
			for i := 0; dec.More(); i++ {
				if p, k, dup, err := walk(fmt.Sprintf("%s[%d]", path, i)); dup || err != nil {
					return p, k, dup, err
				}
			}
			_, err = dec.Token() // ']'
			return "", "", false, err
		}
		return "", "", false, nil
	}
	p, k, dup, err := walk("")
	if err != nil && !errors.Is(err, io.EOF) {
		return "", "", false
	}
	return p, k, dup
}
