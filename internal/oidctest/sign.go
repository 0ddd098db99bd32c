package oidctest

import (
	"fmt"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// idTokenLifetime is how long issued ID tokens are valid.
const idTokenLifetime = 5 * time.Minute

// signIDToken returns the RS256-signed ID token for a redeemed code.
func (p *Provider) signIDToken(g *grant, m Misbehavior, now time.Time) (string, error) {
	claims := map[string]any{
		"iss":   p.Issuer,
		"aud":   g.auth.ClientID,
		"azp":   g.auth.ClientID,
		"sub":   g.user.Subject,
		"iat":   now.Unix(),
		"exp":   now.Add(idTokenLifetime).Unix(),
		"nonce": g.auth.Nonce,
	}
	if m.Issuer != "" {
		claims["iss"] = m.Issuer
	}
	if m.Audience != "" {
		claims["aud"], claims["azp"] = m.Audience, m.Audience
	}
	if m.Expired {
		claims["iat"], claims["exp"] = now.Add(-idTokenLifetime).Unix(), now.Add(-time.Minute).Unix()
	}
	if m.WrongNonce {
		claims["nonce"] = "not-" + g.auth.Nonce
	}
	u := g.user
	set := func(name, v string) {
		if v != "" {
			claims[name] = v
		}
	}
	set("email", u.Email)
	if u.Email != "" {
		claims["email_verified"] = u.EmailVerified
	}
	set("name", u.Name)
	set("preferred_username", u.PreferredUsername)
	if u.Groups != nil {
		claims["groups"] = u.Groups
	}
	for k, v := range u.Extra {
		claims[k] = v
	}

	key := p.key
	if m.SignWithOtherKey {
		var err error
		if key, err = p.unpublishedKey(); err != nil {
			return "", err
		}
	}
	signer, err := jose.NewSigner(
		jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: key, KeyID: p.keyID}},
		(&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		return "", fmt.Errorf("create ID token signer: %w", err)
	}
	token, err := jwt.Signed(signer).Claims(claims).Serialize()
	if err != nil {
		return "", fmt.Errorf("sign ID token: %w", err)
	}
	return token, nil
}
