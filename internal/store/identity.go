package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/lpm-project/lpm/internal/lpm"
)

// Single sign-on: the users behind OpenID Connect accounts. An account is
// found by its issuer and subject only, never by e-mail or name, which the
// provider may let people change (matching on them would let someone take
// over an account by renaming theirs).

var (
	findIdentitySQL   = fixed(`SELECT user_id FROM external_identities WHERE issuer = $1 AND subject = $2`)
	insertIdentitySQL = fixed(`INSERT INTO external_identities (issuer, subject, user_id, email, created_at, last_seen_at)
		VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT (issuer, subject) DO NOTHING`)
	touchIdentitySQL = fixed(`UPDATE external_identities SET email = $1, last_seen_at = $2 WHERE issuer = $3 AND subject = $4`)
	// similarNamesSQL finds the names a new user's name must not take.
	similarNamesSQL = fixed(`SELECT name FROM users WHERE name LIKE $1 ESCAPE '\'`)
	clearGroupsSQL  = fixed(`DELETE FROM user_groups WHERE user_id = $1`)
	userGroupsSQL   = fixed(`SELECT group_name FROM user_groups WHERE user_id = $1`)
)

const (
	// maxUserName is the longest user name lpm.User.Validate accepts.
	maxUserName = 64
	// groupsPerInsert keeps a statement's parameters well under
	// PostgreSQL's limit for people in thousands of groups.
	groupsPerInsert = 500
)

// SignInExternal finds the user linked to the identity, or creates one and
// links it, and stores the identity's groups as the user's groups (which
// give roles through group_roles). A new user's name comes from the
// preferred name, else the e-mail's local part, else the display name,
// reduced to the user-name alphabet and made unique with a number; the
// e-mail and display name are copied. Creating, linking and a change of
// groups are audited in the site's chain as the actor "sso:<issuer host>". EFORBIDDEN for a
// disabled user.
func (s *Store) SignInExternal(ctx context.Context, id lpm.ExternalIdentity) (*lpm.User, error) {
	if id.Issuer == "" || id.Subject == "" {
		return nil, invalid("identity", "subject", "required", "an external identity needs an issuer and a subject")
	}
	actor := lpm.SystemActor("sso:" + issuerHost(id.Issuer))
	var u *lpm.User
	err := s.inTx(ctx, "sign in with single sign-on", func(tx *dbtx) error {
		now := lpm.Now()
		var (
			userID  int64
			records []record
		)
		err := tx.QueryRowContext(ctx, findIdentitySQL, id.Issuer, id.Subject).Scan(&userID)
		switch {
		case err == nil:
			if u, err = loadUser(ctx, tx, userID, ""); err != nil {
				return err
			}
			if u.Disabled {
				return lpm.Errorf(lpm.EFORBIDDEN, "user %s is disabled; a site admin may enable the account again", u.Name)
			}
			if _, err := tx.ExecContext(ctx, touchIdentitySQL, id.Email, toMicros(now), id.Issuer, id.Subject); err != nil {
				return fmt.Errorf("note sign-in of %s at %s: %w", id.Subject, id.Issuer, err)
			}
		case errors.Is(err, sql.ErrNoRows):
			if u, err = createExternalUser(ctx, tx, id, now); err != nil {
				return err
			}
			records = append(records,
				record{action: "user.create", object: "user", id: u.ID, after: u.AuditFields()},
				record{action: "user.link_identity", object: "user", id: u.ID,
					after: lpm.Fields{"issuer": id.Issuer, "subject": id.Subject}})
		default:
			return fmt.Errorf("look up identity %s at %s: %w", id.Subject, id.Issuer, err)
		}
		before, after, err := replaceGroups(ctx, tx, u.ID, id.Groups)
		if err != nil {
			return err
		}
		// Groups give roles through group mappings, so a change of groups is
		// a change of who may do what: audited like a grant.
		records = append(records, record{action: "user.groups", object: "user", id: u.ID,
			before: lpm.Fields{"groups": before}, after: lpm.Fields{"groups": after}})
		return audit(ctx, tx, actor, now, records...)
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// createExternalUser creates the user for a new identity and links it.
func createExternalUser(ctx context.Context, tx *dbtx, id lpm.ExternalIdentity, now time.Time) (*lpm.User, error) {
	u := &lpm.User{Email: id.Email, DisplayName: id.Name, CreatedAt: now}
	if u.DisplayName == "" {
		u.DisplayName = id.PreferredName
	}
	// Claims that would not pass as a user's fields are left out rather than
	// refusing the sign-in.
	if (&lpm.User{Name: "x", Email: u.Email}).Validate() != nil {
		u.Email = ""
	}
	if (&lpm.User{Name: "x", DisplayName: u.DisplayName}).Validate() != nil {
		u.DisplayName = ""
	}
	base := baseUserName(id)
	// Numbered names may shorten base by a few characters.
	prefix := base[:min(len(base), maxUserName-6)]
	rows, err := queryAll(ctx, tx, scanValue[string], similarNamesSQL, escapeLike(prefix)+"%")
	if err != nil {
		return nil, fmt.Errorf("look up names like %q: %w", base, err)
	}
	taken := map[string]bool{}
	for _, n := range rows {
		taken[n] = true
	}
	u.Name = uniqueUserName(base, taken)
	if err := insertUser(ctx, tx, u); err != nil {
		// Only a user created meanwhile under the same name gets here.
		return nil, err
	}
	res, err := tx.ExecContext(ctx, insertIdentitySQL, id.Issuer, id.Subject, u.ID, id.Email, toMicros(now))
	if err != nil {
		return nil, fmt.Errorf("link identity %s at %s to user %s: %w", id.Subject, id.Issuer, u.Name, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return nil, fmt.Errorf("link identity %s at %s to user %s: %w", id.Subject, id.Issuer, u.Name, err)
	} else if n == 0 {
		// The same account signed in twice at once, and the other sign-in
		// linked it first; this one's user goes with the rollback.
		return nil, lpm.Errorf(lpm.ECONFLICT, "this account is signing in elsewhere at the same moment; try again")
	}
	return u, nil
}

// baseUserName derives a user name from the identity's claims: lower-case
// letters, digits, '.', '_' and '-', starting with a letter or digit.
func baseUserName(id lpm.ExternalIdentity) string {
	for _, src := range []string{id.PreferredName, id.Email, id.Name} {
		if local, _, ok := strings.Cut(src, "@"); ok {
			src = local
		}
		var b strings.Builder
		for _, r := range strings.ToLower(src) {
			if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-' {
				b.WriteRune(r)
			}
		}
		if name := strings.TrimLeft(b.String(), "._-"); name != "" {
			return name[:min(len(name), maxUserName)]
		}
	}
	return "user"
}

// uniqueUserName returns base, or base followed by the lowest number from 2
// that makes a name not taken, shortening base to keep within maxUserName.
func uniqueUserName(base string, taken map[string]bool) string {
	if !taken[base] {
		return base
	}
	for n := 2; ; n++ {
		suffix := strconv.Itoa(n)
		name := base[:min(len(base), maxUserName-len(suffix))] + suffix
		if !taken[name] {
			return name
		}
	}
}

// issuerHost names an issuer in the audit trail by its host.
func issuerHost(issuer string) string {
	if u, err := url.Parse(issuer); err == nil && u.Host != "" {
		return u.Host
	}
	return issuer
}

// replaceGroups makes groups the user's groups, names exactly as the
// provider sends them. Names no mapping could hold (lpm.GroupRole.Validate:
// blank, too long, control characters, which PostgreSQL may refuse) are
// dropped.
// It returns the groups the user had before and has now, sorted, for the
// audit trail.
func replaceGroups(ctx context.Context, tx *dbtx, userID int64, groups []string) (before, after []string, err error) {
	before, err = queryAll(ctx, tx, scanValue[string], userGroupsSQL, userID)
	if err != nil {
		return nil, nil, fmt.Errorf("read the groups of user %d: %w", userID, err)
	}
	slices.Sort(before)
	if _, err := tx.ExecContext(ctx, clearGroupsSQL, userID); err != nil {
		return nil, nil, fmt.Errorf("clear the groups of user %d: %w", userID, err)
	}
	keep := []string{}
	for _, g := range groups {
		if (lpm.GroupRole{Group: g, Role: lpm.RoleViewer}).Validate() == nil {
			keep = append(keep, g)
		}
	}
	slices.Sort(keep)
	keep = slices.Compact(keep)
	for chunk := range slices.Chunk(keep, groupsPerInsert) {
		args := []any{userID}
		values := make([]string, len(chunk))
		for i, g := range chunk {
			args = append(args, g)
			values[i] = fmt.Sprintf("($1, $%d)", i+2)
		}
		q := `INSERT INTO user_groups (user_id, group_name) VALUES ` + strings.Join(values, ", ")
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return nil, nil, fmt.Errorf("store the groups of user %d: %w", userID, err)
		}
	}
	return append([]string{}, before...), keep, nil
}
