package lpm

// Change tells that something in a portfolio changed: what pages showing it
// need to refresh. Every audited write that changed something yields one
// (see AppendChanges); a change carries identifiers only, never the data, so
// a page reads what it shows again, with the reader's own permissions.
type Change struct {
	Portfolio int64  `json:"portfolio"`      // 0: the site (users, tokens)
	Object    string `json:"object"`         // audit object type, e.g. "epic", "decision", "kanban_column"
	ID        int64  `json:"id"`             // the object's ID as in the audit trail
	Action    string `json:"action"`         // audit action, e.g. "epic.transition"; ActionResync: reload everything
	Epic      int64  `json:"epic,omitempty"` // the epic it concerns (the epic itself, or a decision's), 0 if none
}

// ActionResync is the action of a Change that says changes may have been
// missed (the feed lost its connection to the database for a while): a
// subscriber reloads everything it shows.
const ActionResync = "resync"

// Resync returns the change telling a subscriber of the portfolio to reload
// everything.
func Resync(portfolioID int64) Change {
	return Change{Portfolio: portfolioID, Action: ActionResync}
}

// IsResync reports whether c asks to reload everything.
func (c Change) IsResync() bool { return c.Action == ActionResync }

// changeEpicFields names, for each audit object type other than "epic"
// whose audited fields hold the ID of an epic it concerns, those fields. An
// estimation round's estimate names its epic; the round itself (created,
// closed) lists several and concerns none of them alone. A decision's
// new_epic_id (a pivot's new epic) is not listed: the decision is about its
// epic, and the new epic's creation is a change of its own.
var changeEpicFields = map[string][]string{
	"decision":         {"epic_id"},
	"impediment":       {"epic_id"},
	"dependency":       {"from_epic_id", "to_epic_id"},
	"estimation_round": {"epic_id"},
}

// AppendChanges appends to dst the changes that one audited change makes
// known and returns the extended slice: the change of object id (of
// objectType, in the chain portfolioID) by action, with before and after the
// object's full audited fields (nil before a creation, after a deletion;
// not only the fields that changed). Epic is the object's own ID for an
// epic, else the epic its fields name. A change that concerns two epics (a
// dependency between them, an impediment moved from one epic to another)
// comes once per epic, so that pages showing either refresh.
func AppendChanges(dst []Change, action, objectType string, id, portfolioID int64, before, after Fields) []Change {
	c := Change{Portfolio: portfolioID, Object: objectType, ID: id, Action: action}
	if objectType == "epic" {
		c.Epic = id
		return append(dst, c)
	}
	n := len(dst)
	for _, field := range changeEpicFields[objectType] {
		for _, f := range []Fields{before, after} {
			epic := fieldID(f[field])
			if epic == 0 || concerns(dst[n:], epic) {
				continue
			}
			c.Epic = epic
			dst = append(dst, c)
		}
	}
	if len(dst) == n {
		c.Epic = 0
		dst = append(dst, c)
	}
	return dst
}

func concerns(changes []Change, epic int64) bool {
	for _, c := range changes {
		if c.Epic == epic {
			return true
		}
	}
	return false
}

// fieldID reads an ID from an audited field: 0 when absent or not an
// integer.
func fieldID(v any) int64 {
	switch id := v.(type) {
	case int64:
		return id
	case int:
		return int64(id)
	}
	return 0
}
