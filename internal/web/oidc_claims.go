package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/lpm-project/lpm/internal/lpm"
)

// maxGroups bounds how many groups of one person lpm accepts.
const maxGroups = 5000

// idClaims are the standard claims lpm reads from an ID token.
type idClaims struct {
	Email             string   `json:"email"`
	EmailVerified     flexBool `json:"email_verified"`
	Name              string   `json:"name"`
	PreferredUsername string   `json:"preferred_username"`
}

// admit reads the person out of a verified ID token and applies the e-mail
// domain rule.
func (c *oidcClient) admit(idt *oidc.IDToken) (lpm.ExternalIdentity, *refusal) {
	id, verified, err := c.identity(idt)
	if err != nil {
		return id, &refusal{http.StatusBadGateway, "Single sign-on failed",
			"The single sign-on provider's answer could not be read. Ask your administrator to check lpm's single sign-on settings.",
			err.Error(), []any{"subject", idt.Subject}}
	}
	if cause, msg := c.domainRefusal(id.Email, verified); cause != "" {
		return id, &refusal{http.StatusForbidden, "Account not allowed", msg, cause, []any{"subject", id.Subject}}
	}
	return id, nil
}

// identity reads the person out of a verified ID token, and whether the
// provider verified their e-mail address.
func (c *oidcClient) identity(idt *oidc.IDToken) (lpm.ExternalIdentity, bool, error) {
	if idt.Subject == "" {
		return lpm.ExternalIdentity{}, false, fmt.Errorf("ID token has no subject")
	}
	var claims idClaims
	if err := idt.Claims(&claims); err != nil {
		return lpm.ExternalIdentity{}, false, fmt.Errorf("read ID token claims: %w", err)
	}
	var all map[string]json.RawMessage
	if err := idt.Claims(&all); err != nil {
		return lpm.ExternalIdentity{}, false, fmt.Errorf("read ID token claims: %w", err)
	}
	groups, err := parseGroups(all[c.cfg.GroupsClaim])
	if err != nil {
		return lpm.ExternalIdentity{}, false, fmt.Errorf("claim %q: %w", c.cfg.GroupsClaim, err)
	}
	return lpm.ExternalIdentity{
		Issuer:        idt.Issuer,
		Subject:       idt.Subject,
		Email:         strings.TrimSpace(claims.Email),
		Name:          strings.TrimSpace(claims.Name),
		PreferredName: strings.TrimSpace(claims.PreferredUsername),
		Groups:        groups,
	}, bool(claims.EmailVerified), nil
}

// parseGroups reads a groups claim: an array of strings or a single string
// (absent: no groups). Names are kept exactly as sent, since group mappings
// name them that way; blank and repeated ones are dropped.
func parseGroups(raw json.RawMessage) ([]string, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var list []string
	var one string
	if err := json.Unmarshal(raw, &one); err == nil {
		list = []string{one}
	} else if err := json.Unmarshal(raw, &list); err != nil {
		return nil, fmt.Errorf("groups must be an array of strings or a string")
	}
	var groups []string
	seen := make(map[string]bool, len(list))
	for _, g := range list {
		if strings.TrimSpace(g) != "" && !seen[g] {
			seen[g] = true
			groups = append(groups, g)
		}
	}
	if len(groups) > maxGroups {
		return nil, fmt.Errorf("%d groups, more than the %d lpm accepts", len(groups), maxGroups)
	}
	return groups, nil
}

// flexBool reads a JSON boolean, or the strings "true" and "false" that
// some providers send for email_verified.
type flexBool bool

func (b *flexBool) UnmarshalJSON(data []byte) error {
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		return err
	}
	switch v := v.(type) {
	case bool:
		*b = flexBool(v)
	case string:
		*b = flexBool(strings.EqualFold(v, "true"))
	default:
		*b = false
	}
	return nil
}

// domainRefusal applies AllowedDomains: when set, the provider must have
// verified the address and its domain must be listed. It returns why not
// (for the log) and what to tell the person, or "" when the address is fine.
func (c *oidcClient) domainRefusal(email string, verified bool) (cause, message string) {
	if len(c.cfg.AllowedDomains) == 0 {
		return "", ""
	}
	list := strings.Join(c.cfg.AllowedDomains, ", ")
	at := strings.LastIndexByte(email, '@')
	switch {
	case at < 1:
		return "no e-mail address",
			"lpm accepts only accounts with an e-mail address at " + list + ", and the single sign-on provider sent none for yours. Ask your administrator."
	case !verified:
		return "e-mail address not verified",
			"The single sign-on provider has not verified your e-mail address " + email + ", and lpm needs a verified address to let you in. Verify it at the provider, then try again."
	case !slices.Contains(c.cfg.AllowedDomains, strings.ToLower(email[at+1:])):
		return "e-mail domain not allowed",
			"lpm accepts only accounts with an e-mail address at " + list + "; yours is " + email + ". Sign in with another account, or ask your administrator."
	}
	return "", ""
}
