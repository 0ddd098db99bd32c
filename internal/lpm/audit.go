package lpm

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"time"
)

// AuditEntry records one change: who made it, when, from where, to which
// object, and the fields before and after. Entries form one hash chain per
// portfolio (PortfolioID 0 holds site-wide changes: users, tokens), so that
// editing, deleting or reordering past entries is detected (VerifyChain).
type AuditEntry struct {
	// Seq numbers the entries of one chain from 1 without gaps.
	Seq         int64
	PortfolioID int64
	At          time.Time
	ActorID     int64 // 0 for lpm itself
	Actor       string
	Address     string
	// Action says what happened, as "<object>.<verb>": "epic.update".
	Action     string
	ObjectType string
	ObjectID   int64
	// Before and After hold the changed fields as JSON objects ("{}" when
	// there is nothing: no Before on a create).
	Before json.RawMessage
	After  json.RawMessage
	// PrevHash is the Hash of the previous entry of the chain ("" for the first).
	PrevHash string
	Hash     string
}

// Fields is a snapshot of an object's audited fields.
type Fields map[string]any

// NewAuditEntry builds the entry for a change of object from before to after
// (either may be nil: a create has no before, a delete no after). Only the
// fields that differ are kept. Seq, PrevHash and Hash are set by Seal once
// the chain's head is known.
func NewAuditEntry(actor Actor, action, objectType string, objectID, portfolioID int64, before, after Fields, at time.Time) (*AuditEntry, error) {
	b, a := changed(before, after)
	bj, err := json.Marshal(b)
	if err != nil {
		return nil, fmt.Errorf("audit %s: encode before: %w", action, err)
	}
	aj, err := json.Marshal(a)
	if err != nil {
		return nil, fmt.Errorf("audit %s: encode after: %w", action, err)
	}
	return &AuditEntry{
		PortfolioID: portfolioID, At: at, ActorID: actor.UserID, Actor: actor.Name, Address: actor.Address,
		Action: action, ObjectType: objectType, ObjectID: objectID, Before: bj, After: aj,
	}, nil
}

// Changed reports whether the entry records any change of a field; an update
// that changed nothing need not be audited.
func (e *AuditEntry) Changed() bool {
	return string(e.Before) != "{}" || string(e.After) != "{}"
}

// changed keeps the fields whose values differ between before and after.
// Values are compared by their JSON form, as they are stored.
func changed(before, after Fields) (Fields, Fields) {
	b, a := Fields{}, Fields{}
	for k, v := range before {
		w, ok := after[k]
		if !ok || !sameJSON(v, w) {
			b[k] = v
			if ok {
				a[k] = w
			}
		}
	}
	for k, w := range after {
		if _, ok := before[k]; !ok {
			a[k] = w
		}
	}
	return b, a
}

func sameJSON(x, y any) bool {
	if reflect.DeepEqual(x, y) {
		return true
	}
	jx, errx := json.Marshal(x)
	jy, erry := json.Marshal(y)
	return errx == nil && erry == nil && string(jx) == string(jy)
}

// Seal places the entry after prev (nil for the first entry of a chain) and
// computes its hash.
func (e *AuditEntry) Seal(prev *AuditHead) {
	e.Seq, e.PrevHash = 1, ""
	if prev != nil {
		e.Seq, e.PrevHash = prev.Seq+1, prev.Hash
	}
	e.Hash = e.ComputeHash()
}

// AuditHead is the newest entry of a chain, as the store keeps it apart from
// the entries so that removing the newest entries is detected too.
type AuditHead struct {
	PortfolioID int64
	Seq         int64
	Hash        string
}

// ComputeHash returns H(prevHash ‖ entry): SHA-256 over the previous hash and
// a canonical JSON encoding of every other field, so that changing any field,
// or moving the entry, changes the hash.
func (e *AuditEntry) ComputeHash() string {
	canon, _ := json.Marshal(struct {
		Seq         int64           `json:"seq"`
		PortfolioID int64           `json:"portfolio_id"`
		At          int64           `json:"at_us"`
		ActorID     int64           `json:"actor_id"`
		Actor       string          `json:"actor"`
		Address     string          `json:"address"`
		Action      string          `json:"action"`
		ObjectType  string          `json:"object_type"`
		ObjectID    int64           `json:"object_id"`
		Before      json.RawMessage `json:"before"`
		After       json.RawMessage `json:"after"`
	}{e.Seq, e.PortfolioID, e.At.UnixMicro(), e.ActorID, e.Actor, e.Address, e.Action, e.ObjectType, e.ObjectID,
		rawOrEmpty(e.Before), rawOrEmpty(e.After)})
	h := sha256.New()
	h.Write([]byte(e.PrevHash))
	h.Write(canon)
	return hex.EncodeToString(h.Sum(nil))
}

func rawOrEmpty(r json.RawMessage) json.RawMessage {
	if len(r) == 0 {
		return json.RawMessage("{}")
	}
	return r
}

// ChainVerifier checks one chain entry by entry, in Seq order, without
// holding the chain in memory.
type ChainVerifier struct {
	PortfolioID int64
	prev        *AuditEntry
	count       int64
	// Bad describes the first bad entry; once set, Next stops checking.
	Bad *ChainBreak
}

// ChainBreak names the first entry of a chain that does not verify.
type ChainBreak struct {
	PortfolioID int64
	Seq         int64
	Reason      string
}

func (b *ChainBreak) Error() string {
	return fmt.Sprintf("audit chain of %s breaks at entry %d: %s", chainName(b.PortfolioID), b.Seq, b.Reason)
}

func chainName(portfolioID int64) string {
	if portfolioID == 0 {
		return "the site"
	}
	return fmt.Sprintf("portfolio %d", portfolioID)
}

// Next checks the next entry of the chain; false once the chain is broken.
func (v *ChainVerifier) Next(e *AuditEntry) bool {
	if v.Bad != nil {
		return false
	}
	want := int64(1)
	prevHash := ""
	if v.prev != nil {
		want, prevHash = v.prev.Seq+1, v.prev.Hash
	}
	switch {
	case e.PortfolioID != v.PortfolioID:
		v.Bad = &ChainBreak{v.PortfolioID, e.Seq, fmt.Sprintf("the entry names %s", chainName(e.PortfolioID))}
	case e.Seq != want:
		v.Bad = &ChainBreak{v.PortfolioID, want, fmt.Sprintf("entry %d is missing (the next entry found is %d): entries were deleted or renumbered", want, e.Seq)}
	case e.PrevHash != prevHash:
		v.Bad = &ChainBreak{v.PortfolioID, e.Seq, "its previous-hash does not match the hash of the entry before it: entries were deleted, inserted or reordered"}
	case e.ComputeHash() != e.Hash:
		v.Bad = &ChainBreak{v.PortfolioID, e.Seq, "its content does not match its hash: the entry was edited"}
	}
	if v.Bad != nil {
		return false
	}
	v.prev = e
	v.count++
	return true
}

// Finish checks the end of the chain against the head the store keeps (nil
// when the store has no head, i.e. no entries) and returns the number of
// entries verified, or the first break.
func (v *ChainVerifier) Finish(head *AuditHead) (int64, error) {
	if v.Bad != nil {
		return v.count, v.Bad
	}
	var lastSeq int64
	lastHash := ""
	if v.prev != nil {
		lastSeq, lastHash = v.prev.Seq, v.prev.Hash
	}
	var headSeq int64
	headHash := ""
	if head != nil {
		headSeq, headHash = head.Seq, head.Hash
	}
	if lastSeq != headSeq || lastHash != headHash {
		v.Bad = &ChainBreak{v.PortfolioID, lastSeq + 1,
			fmt.Sprintf("the chain ends at entry %d but its head records entry %d: the newest entries were deleted or the head was changed", lastSeq, headSeq)}
		if lastSeq > headSeq {
			v.Bad.Seq = headSeq + 1
		}
		return v.count, v.Bad
	}
	return v.count, nil
}

// AuditFilter selects entries of one chain. Zero fields do not filter.
type AuditFilter struct {
	PortfolioID int64
	Actor       string
	ObjectType  string
	ObjectID    int64
	From, To    time.Time // From inclusive, To exclusive
	Page        Page
}

// AuditObjectTypes are the object types the audit trail records.
var AuditObjectTypes = []string{"portfolio", "kanban_column", "value_stream", "theme", "objective", "key_result", "check_in", "estimation_round", "impediment", "dependency", "epic", "decision",
	"canvas_state", "canvas_version", "membership", "group_role", "user", "token"}

// Validate checks a filter before it reaches a store.
func (f AuditFilter) Validate() error {
	var vs violations
	if f.ObjectType != "" {
		ok := false
		for _, t := range AuditObjectTypes {
			ok = ok || t == f.ObjectType
		}
		if !ok {
			vs.add("object_type", "enum", "object_type must be one of %s, got %q", join(AuditObjectTypes, ", "), f.ObjectType)
		}
	}
	if f.ObjectID != 0 && f.ObjectType == "" {
		vs.add("object_id", "requires", "object_id needs object_type")
	}
	if !f.From.IsZero() && !f.To.IsZero() && !f.From.Before(f.To) {
		vs.add("to", "after_from", "to must be after from")
	}
	if err := ValidateSearch("actor", f.Actor); err != nil {
		vs = append(vs, AsError(err).Violations...)
	}
	return vs.err(EINVALID, "invalid audit filter")
}

// SortedKeys returns a snapshot's field names in order, for display.
func (f Fields) SortedKeys() []string {
	keys := make([]string, 0, len(f))
	for k := range f {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
