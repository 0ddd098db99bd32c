package web

import (
	"context"
	"errors"
	"net/http"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// redeem exchanges the code for tokens, sending the attempt's PKCE verifier
// and redirect URI, and returns the ID token once verified: signed by the
// provider's published keys, issued by it, for lpm (audience), not expired,
// and carrying the attempt's nonce.
func (c *oidcClient) redeem(ctx context.Context, flow oidcFlow, code string) (*oidc.IDToken, *refusal) {
	verifier, err := c.discover(ctx)
	if err != nil {
		return nil, &refusal{http.StatusBadGateway, "Single sign-on is unavailable",
			"lpm cannot reach the single sign-on provider right now. Try again in a minute.", err.Error(), nil}
	}
	ctx = c.context(ctx)
	tok, err := c.oauth2Config(flow.Redirect).Exchange(ctx, code, oauth2.VerifierOption(flow.Verifier))
	if err != nil {
		return nil, exchangeRefusal(err)
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return nil, &refusal{http.StatusBadGateway, "Single sign-on failed",
			"The single sign-on provider did not send an ID token. Ask your administrator to check that lpm's client at the provider uses OpenID Connect.",
			"no id_token in the token response", nil}
	}
	idt, err := verifier.Verify(ctx, raw)
	if err != nil {
		// go-oidc's messages name the failed check, never the token.
		return nil, &refusal{http.StatusBadGateway, "Single sign-on failed",
			"The single sign-on provider's answer did not pass lpm's checks (signature, issuer, audience or expiry), so it was not trusted. Ask your administrator to check lpm's single sign-on settings.",
			"ID token verification failed: " + err.Error(), nil}
	}
	if !tokensEqual(idt.Nonce, flow.Nonce) {
		return nil, &refusal{http.StatusBadGateway, "Single sign-on failed",
			"The single sign-on provider's answer belongs to another sign-in, so it was not trusted. Start again.",
			"ID token nonce does not match the attempt", nil}
	}
	return idt, nil
}

// exchangeRefusal explains a failed token request. invalid_grant means this
// code cannot be redeemed (used, expired, or the PKCE verifier does not
// match): the person starts again. Any other refusal points at lpm's client
// settings; no answer at all, at the provider.
func exchangeRefusal(err error) *refusal {
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) {
		// The code travels in the request's body, never in its URL, so the
		// error does not contain it.
		return &refusal{http.StatusBadGateway, "Single sign-on failed",
			"lpm could not reach the single sign-on provider to complete the sign-in. Try again in a minute.",
			"token request failed: " + clip(err.Error(), 300), nil}
	}
	// Only the error fields are logged: the body of an odd answer might hold
	// anything.
	attrs := []any{"error", clip(re.ErrorCode, 64), "description", clip(re.ErrorDescription, 200)}
	if re.Response != nil {
		attrs = append(attrs, "status", re.Response.StatusCode)
	}
	if re.ErrorCode == "invalid_grant" {
		return &refusal{http.StatusBadRequest, "Single sign-on could not be completed",
			"The single sign-on provider refused to complete this sign-in: it was used already, took too long, or was tampered with. Start again.",
			"the provider refused the code", attrs}
	}
	return &refusal{http.StatusBadGateway, "Single sign-on failed",
		"The single sign-on provider refused lpm's request to complete the sign-in. Ask your administrator to check lpm's single sign-on client ID and secret.",
		"the provider refused the token request", attrs}
}
