package lpm

// ExternalIdentity links a user to an account at an OpenID Connect provider:
// the issuer and subject identify the account for good, whatever its name
// or e-mail later become.
type ExternalIdentity struct {
	Issuer  string
	Subject string
	// The claims seen at the latest sign-in.
	Email         string
	Name          string
	PreferredName string
	Groups        []string
}
