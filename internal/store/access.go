package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/lpm-project/lpm/internal/lpm"
)

// Who holds which role in which portfolio: granted to a user directly
// (memberships), or held by every member of a single sign-on group mapped to
// the role (group_roles joined with user_groups). Who may change them is
// the domain's rule (lpm.ManageMembers).

var (
	// accessSQL may return a role twice (granted and through a group);
	// lpm.RoleSet holds it once, which is cheaper than the database's UNION.
	accessSQL = fixed(`SELECT portfolio_id, role FROM memberships WHERE user_id = $1
		UNION ALL
		SELECT g.portfolio_id, g.role FROM user_groups ug JOIN group_roles g ON g.group_name = ug.group_name
		WHERE ug.user_id = $1`)
	membersSQL = fixed(`SELECT m.user_id, u.name, m.role, '' FROM memberships m JOIN users u ON u.id = m.user_id
		WHERE m.portfolio_id = $1
		UNION ALL
		SELECT u.id, u.name, g.role, g.group_name FROM group_roles g
		JOIN user_groups ug ON ug.group_name = g.group_name JOIN users u ON u.id = ug.user_id
		WHERE g.portfolio_id = $1`)
	insertMembershipSQL = fixed(`INSERT INTO memberships (portfolio_id, user_id, role, created_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (portfolio_id, user_id, role) DO NOTHING`)
	deleteMembershipSQL = fixed(`DELETE FROM memberships WHERE portfolio_id = $1 AND user_id = $2 AND role = $3`)
	countAdminsSQL      = fixed(`SELECT COUNT(*) FROM memberships WHERE portfolio_id = $1 AND role = 'portfolio_admin'`)
	userNameByIDSQL     = fixed(`SELECT name FROM users WHERE id = $1`)
	groupRolesSQL       = fixed(`SELECT group_name, role FROM group_roles WHERE portfolio_id = $1`)
	insertGroupRoleSQL  = fixed(`INSERT INTO group_roles (portfolio_id, group_name, role, created_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (portfolio_id, group_name, role) DO NOTHING`)
	deleteGroupRoleSQL = fixed(`DELETE FROM group_roles WHERE portfolio_id = $1 AND group_name = $2 AND role = $3`)
)

// Access returns the roles the user holds in each portfolio, granted
// directly or through a group; an unknown user holds none.
func (s *Store) Access(ctx context.Context, userID int64) (lpm.Access, error) {
	rows, err := s.read.QueryContext(ctx, accessSQL, userID)
	if err != nil {
		return nil, fmt.Errorf("read the access of user %d: %w", userID, err)
	}
	defer rows.Close()
	access := lpm.Access{}
	for rows.Next() {
		var (
			portfolioID int64
			role        lpm.Role
		)
		if err := rows.Scan(&portfolioID, &role); err != nil {
			return nil, fmt.Errorf("read the access of user %d: %w", userID, err)
		}
		access[portfolioID] = access[portfolioID].Add(role)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read the access of user %d: %w", userID, err)
	}
	return access, nil
}

// roleOrder compares roles in the order of lpm.Roles, most powerful first.
func roleOrder(a, b lpm.Role) int {
	return cmp.Compare(slices.Index(lpm.Roles, a), slices.Index(lpm.Roles, b))
}

// FindMembers lists who holds which role in the portfolio, by user name,
// then role (lpm.Roles order), direct grants before the same role through a
// group. A role held through a group carries the group's name.
func (s *Store) FindMembers(ctx context.Context, portfolioID int64) ([]lpm.Membership, error) {
	list, err := queryAll(ctx, s.read, func(row scanner) (lpm.Membership, error) {
		m := lpm.Membership{PortfolioID: portfolioID}
		return m, row.Scan(&m.UserID, &m.UserName, &m.Role, &m.Group)
	}, membersSQL, portfolioID)
	if err != nil {
		return nil, fmt.Errorf("list the members of portfolio %d: %w", portfolioID, err)
	}
	slices.SortFunc(list, func(a, b lpm.Membership) int {
		return cmp.Or(cmp.Compare(a.UserName, b.UserName), roleOrder(a.Role, b.Role), cmp.Compare(a.Group, b.Group))
	})
	return list, nil
}

// Grant gives m.UserID (or, when 0, the user called m.UserName) the role
// m.Role in m.PortfolioID; needs ManageMembers. An unknown user is EINVALID
// on field "user". Granting a role held already changes nothing and writes
// no audit entry.
func (s *Store) Grant(ctx context.Context, m lpm.Membership, actor lpm.Actor) error {
	if err := actor.AuthorizeObject(lpm.ManageMembers, lpm.PortfolioTarget(m.PortfolioID), "portfolio", m.PortfolioID); err != nil {
		return err
	}
	var err error
	if m.Role, err = lpm.ParseRole(string(m.Role)); err != nil {
		return err
	}
	return s.inTx(ctx, "grant role", func(tx *dbtx) error {
		if err := portfolioExists(ctx, tx, m.PortfolioID); err != nil {
			return err
		}
		if err := resolveMember(ctx, tx, &m); err != nil {
			return err
		}
		m.Group = ""
		now := lpm.Now()
		granted, err := grant(ctx, tx, m, now)
		if err != nil || !granted {
			return err
		}
		return audit(ctx, tx, actor, now, grantRecord(m))
	})
}

// grant writes a membership and reports whether it is new.
func grant(ctx context.Context, tx *dbtx, m lpm.Membership, now time.Time) (bool, error) {
	res, err := tx.ExecContext(ctx, insertMembershipSQL, m.PortfolioID, m.UserID, string(m.Role), toMicros(now))
	if err != nil {
		return false, fmt.Errorf("grant role %s in portfolio %d to user %d: %w", m.Role, m.PortfolioID, m.UserID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("grant role %s in portfolio %d to user %d: %w", m.Role, m.PortfolioID, m.UserID, err)
	}
	return n > 0, nil
}

func grantRecord(m lpm.Membership) record {
	return record{action: "membership.grant", object: "membership", id: m.UserID, chain: m.PortfolioID, after: m.AuditFields()}
}

// resolveMember fills in m's user ID or name from the other; EINVALID on
// field "user" when there is no such user.
func resolveMember(ctx context.Context, q querier, m *lpm.Membership) error {
	var err error
	switch {
	case m.UserID != 0:
		err = q.QueryRowContext(ctx, userNameByIDSQL, m.UserID).Scan(&m.UserName)
		if errors.Is(err, sql.ErrNoRows) {
			return invalid("membership", "user", "exists", "there is no user %d", m.UserID)
		}
	case m.UserName != "":
		err = q.QueryRowContext(ctx, userIDSQL, m.UserName).Scan(&m.UserID)
		if errors.Is(err, sql.ErrNoRows) {
			return invalid("membership", "user", "exists", "there is no user named %q", m.UserName)
		}
	default:
		return invalid("membership", "user", "required", "user is required: a user's ID or name")
	}
	if err != nil {
		return fmt.Errorf("look up the user of a membership: %w", err)
	}
	return nil
}

// Revoke takes a directly granted role away; needs ManageMembers. ENOTFOUND
// if the user does not hold it directly (roles through a group go with the
// group's mapping). The last direct portfolio admin of a portfolio stays
// (ECONFLICT): someone must be able to manage its members.
func (s *Store) Revoke(ctx context.Context, m lpm.Membership, actor lpm.Actor) error {
	if err := actor.AuthorizeObject(lpm.ManageMembers, lpm.PortfolioTarget(m.PortfolioID), "portfolio", m.PortfolioID); err != nil {
		return err
	}
	var err error
	if m.Role, err = lpm.ParseRole(string(m.Role)); err != nil {
		return err
	}
	return s.inTx(ctx, "revoke role", func(tx *dbtx) error {
		// Revoking an admin locks the portfolio, so that two admins revoking
		// each other at once cannot both see the other one remain.
		lock := ""
		if m.Role == lpm.RolePortfolioAdmin {
			lock = s.d.forUpdate
		}
		if _, err := findPortfolio(ctx, tx, m.PortfolioID, lock); err != nil {
			return err
		}
		if err := resolveMember(ctx, tx, &m); err != nil {
			if lpm.ErrorCodeOf(err) == lpm.EINVALID {
				return notHeld(m)
			}
			return err
		}
		m.Group = ""
		res, err := tx.ExecContext(ctx, deleteMembershipSQL, m.PortfolioID, m.UserID, string(m.Role))
		if err != nil {
			return fmt.Errorf("revoke role %s in portfolio %d from user %d: %w", m.Role, m.PortfolioID, m.UserID, err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("revoke role %s in portfolio %d from user %d: %w", m.Role, m.PortfolioID, m.UserID, err)
		} else if n == 0 {
			return notHeld(m)
		}
		if m.Role == lpm.RolePortfolioAdmin {
			var admins int
			if err := tx.QueryRowContext(ctx, countAdminsSQL, m.PortfolioID).Scan(&admins); err != nil {
				return fmt.Errorf("count the admins of portfolio %d: %w", m.PortfolioID, err)
			}
			if admins == 0 {
				return &lpm.Error{Code: lpm.ECONFLICT, Message: "cannot revoke the last portfolio admin", Violations: []lpm.Violation{{
					Field: "role", Rule: "last_admin",
					Message: fmt.Sprintf("%s is the last portfolio admin of portfolio %d; grant portfolio_admin to someone else first", m.UserName, m.PortfolioID)}}}
			}
		}
		return audit(ctx, tx, actor, lpm.Now(), record{action: "membership.revoke", object: "membership", id: m.UserID,
			chain: m.PortfolioID, before: m.AuditFields()})
	})
}

// notHeld is the error for revoking a role the user does not hold directly.
func notHeld(m lpm.Membership) error {
	who := m.UserName
	if who == "" {
		who = fmt.Sprintf("user %d", m.UserID)
	}
	return lpm.Errorf(lpm.ENOTFOUND, "%s holds no directly granted role %s in portfolio %d", who, m.Role, m.PortfolioID)
}

// FindGroupRoles lists the groups mapped to roles in the portfolio, by group
// name, then role (lpm.Roles order).
func (s *Store) FindGroupRoles(ctx context.Context, portfolioID int64) ([]lpm.GroupRole, error) {
	list, err := queryAll(ctx, s.read, func(row scanner) (lpm.GroupRole, error) {
		g := lpm.GroupRole{PortfolioID: portfolioID}
		return g, row.Scan(&g.Group, &g.Role)
	}, groupRolesSQL, portfolioID)
	if err != nil {
		return nil, fmt.Errorf("list the group mappings of portfolio %d: %w", portfolioID, err)
	}
	slices.SortFunc(list, func(a, b lpm.GroupRole) int {
		return cmp.Or(cmp.Compare(a.Group, b.Group), roleOrder(a.Role, b.Role))
	})
	return list, nil
}

// MapGroup gives every member of the group g.Group the role g.Role in
// g.PortfolioID; needs ManageMembers. Mapping a group mapped already changes
// nothing and writes no audit entry.
func (s *Store) MapGroup(ctx context.Context, g lpm.GroupRole, actor lpm.Actor) error {
	if err := actor.AuthorizeObject(lpm.ManageMembers, lpm.PortfolioTarget(g.PortfolioID), "portfolio", g.PortfolioID); err != nil {
		return err
	}
	if err := g.Validate(); err != nil {
		return err
	}
	return s.inTx(ctx, "map group", func(tx *dbtx) error {
		if err := portfolioExists(ctx, tx, g.PortfolioID); err != nil {
			return err
		}
		now := lpm.Now()
		res, err := tx.ExecContext(ctx, insertGroupRoleSQL, g.PortfolioID, g.Group, string(g.Role), toMicros(now))
		if err != nil {
			return fmt.Errorf("map group %q to role %s in portfolio %d: %w", g.Group, g.Role, g.PortfolioID, err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("map group %q to role %s in portfolio %d: %w", g.Group, g.Role, g.PortfolioID, err)
		} else if n == 0 {
			return nil
		}
		return audit(ctx, tx, actor, now, record{action: "group_role.map", object: "group_role", chain: g.PortfolioID, after: g.AuditFields()})
	})
}

// UnmapGroup removes a mapping; needs ManageMembers. ENOTFOUND if absent.
func (s *Store) UnmapGroup(ctx context.Context, g lpm.GroupRole, actor lpm.Actor) error {
	if err := actor.AuthorizeObject(lpm.ManageMembers, lpm.PortfolioTarget(g.PortfolioID), "portfolio", g.PortfolioID); err != nil {
		return err
	}
	if err := g.Validate(); err != nil {
		return err
	}
	return s.inTx(ctx, "unmap group", func(tx *dbtx) error {
		if err := portfolioExists(ctx, tx, g.PortfolioID); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, deleteGroupRoleSQL, g.PortfolioID, g.Group, string(g.Role))
		if err != nil {
			return fmt.Errorf("unmap group %q from role %s in portfolio %d: %w", g.Group, g.Role, g.PortfolioID, err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("unmap group %q from role %s in portfolio %d: %w", g.Group, g.Role, g.PortfolioID, err)
		} else if n == 0 {
			return lpm.Errorf(lpm.ENOTFOUND, "group %q is not mapped to role %s in portfolio %d", g.Group, g.Role, g.PortfolioID)
		}
		return audit(ctx, tx, actor, lpm.Now(), record{action: "group_role.unmap", object: "group_role", chain: g.PortfolioID, before: g.AuditFields()})
	})
}
