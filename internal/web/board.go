package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/lpm-project/lpm/internal/lpm"
)

// boardCardsPerColumn is how many cards each column shows; a filter narrows
// a bigger column.
const boardCardsPerColumn = lpm.MaxPageSize

// boardView is the portfolio Kanban board.
type boardView struct {
	chrome
	PortfolioID int64
	CanPropose  bool
	Columns     []boardColumnView
	Filter      boardFilterView
	// Query is the filter as a query string, kept by the move forms so the
	// board comes back filtered as it was.
	Query string
}

type boardColumnView struct {
	State lpm.State
	Title string
	// Count is every epic in the column (what WIP counts), Matching those the
	// filter lets through, Hidden those matching but not shown.
	Count, Matching, Hidden int
	Limit                   *int
	AtLimit, OverLimit      bool
	Warn                    bool // a full column only warns
	// ByWSJF says the column is ordered by WSJF (all but done).
	ByWSJF bool
	Cards  []cardView
}

type cardView struct {
	ID                 int64
	Key, Title         string
	Type               lpm.EpicType
	WSJF               string // "" when unscored
	Owner              string
	Moves              []moveView
	InColumn, Position int
}

// moveView is one move a card offers the viewer. Moves that need a reason
// (back, to done) lead to the epic's move form; the others are buttons of
// the board's move form.
type moveView struct {
	To lpm.State
	// Label is what the button shows ("→ Ready"); Name what it says to a
	// screen reader ("to Ready"), after the card's key.
	Label, Name string
	NeedsReason bool
	// DoneReasons, for a move to done, the reasons it may carry.
	DoneReasons string
}

// boardFilterView is the filter form with its choices.
type boardFilterView struct {
	Type                   string
	ThemeID, ValueStreamID int64
	Owner                  string
	Themes, ValueStreams   []option
	Owners                 []string
	Active                 bool
	Types                  []option
}

// errUnknownChoice says a filter names no theme, value stream or member of
// the portfolio. Refusing it also keeps the board from echoing anything a
// request chose (the page is compressed).
var errUnknownChoice = errors.New("a filter names no theme, value stream or member of the portfolio")

// option is one choice of a select.
type option struct {
	Value, Label string
}

// board shows the portfolio's Kanban.
func (h *handler) board(w http.ResponseWriter, r *http.Request) {
	v, p, ok := h.signedInPortfolio(w, r)
	if !ok {
		return
	}
	filter, err := parseBoardFilter(r.URL.Query())
	if err != nil {
		h.failTo(w, r, http.StatusBadRequest, "Filter not understood", err.Error(),
			link{fmt.Sprintf("/portfolios/%d/board", p.ID), "Show the whole board"})
		return
	}
	view, err := h.boardView(r.Context(), v, p, filter)
	if errors.Is(err, errUnknownChoice) {
		h.failTo(w, r, http.StatusBadRequest, "Filter not understood",
			"Each filter must be one of the choices its list offers (a theme, value stream or member of this portfolio); pick them from the lists.",
			link{fmt.Sprintf("/portfolios/%d/board", p.ID), "Show the whole board"})
		return
	}
	if err != nil {
		h.internalError(w, r, "read the board", err)
		return
	}
	view.chrome = h.inPortfolio(w, r, v, p, sectionBoard, "Kanban board")
	view.Scripts = []string{"live.js", "board.js"}
	// The board reflects nothing a request chose freely: type is one of two,
	// theme and value stream are numbers, and an owner must be a member.
	h.renderCompressed(w, r, http.StatusOK, pageBoard, view)
}

// parseBoardFilter reads the board's filter from its query string.
func parseBoardFilter(q url.Values) (lpm.BoardFilter, error) {
	var f lpm.BoardFilter
	id := func(name string) (int64, error) {
		s := q.Get(name)
		if s == "" {
			return 0, nil
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n <= 0 {
			return 0, fmt.Errorf("the %s filter must be chosen from its list; %q is not one of them", strings.ReplaceAll(name, "_", " "), s)
		}
		return n, nil
	}
	var err error
	if f.ThemeID, err = id("theme"); err != nil {
		return f, err
	}
	if f.ValueStreamID, err = id("value_stream"); err != nil {
		return f, err
	}
	f.Type, f.Owner = lpm.EpicType(q.Get("type")), q.Get("owner")
	if err := f.Validate(); err != nil {
		return f, err
	}
	return f, nil
}

// boardView reads what the board shows.
func (h *handler) boardView(ctx context.Context, v *viewer, p *lpm.Portfolio, f lpm.BoardFilter) (boardView, error) {
	b, err := h.store.Board(ctx, p.ID, f, boardCardsPerColumn)
	if err != nil {
		return boardView{}, fmt.Errorf("board of portfolio %d: %w", p.ID, err)
	}
	view := boardView{PortfolioID: p.ID, Query: filterQuery(f), CanPropose: v.may(lpm.ProposeEpic, lpm.PortfolioTarget(p.ID))}
	if view.Filter, err = h.filterChoices(ctx, p.ID, f); err != nil {
		return boardView{}, err
	}
	for _, c := range b.Columns {
		col := boardColumnView{State: c.State, Title: c.State.Title(), Count: c.Count, Matching: c.Matching,
			Hidden: c.Matching - len(c.Cards), Limit: c.WIPLimit, AtLimit: c.AtLimit(),
			OverLimit: c.WIPLimit != nil && c.Count > *c.WIPLimit, Warn: c.Enforcement == lpm.Warn, ByWSJF: c.State != lpm.Done}
		moves := boardMoves(c.Column)
		for i, card := range c.Cards {
			cv := cardView{ID: card.ID, Key: card.Key, Title: card.Title, Type: card.Type, Owner: card.EpicOwner,
				InColumn: len(c.Cards), Position: i + 1}
			if card.WSJF != nil {
				cv.WSJF = strconv.FormatFloat(*card.WSJF, 'f', -1, 64)
			}
			target := lpm.Target{PortfolioID: p.ID, EpicOwner: card.EpicOwner, EpicType: card.Type}
			for _, m := range moves {
				if v.may(lpm.MoveAction(c.State, m.To), target) {
					cv.Moves = append(cv.Moves, m)
				}
			}
			col.Cards = append(col.Cards, cv)
		}
		view.Columns = append(view.Columns, col)
	}
	return view, nil
}

// boardMoves are the moves out of a column, in the words of its buttons.
func boardMoves(from lpm.Column) []moveView {
	var out []moveView
	for _, to := range lpm.AllowedMoves(from) {
		m := moveView{To: to, NeedsReason: lpm.MoveNeedsReason(from.State, to)}
		m.Name = "to " + to.Title()
		switch {
		case to == lpm.Done:
			m.Label = "Done…"
			var reasons []string
			for _, dr := range lpm.DoneReasonsFrom(from.State) {
				reasons = append(reasons, string(dr)+"="+dr.Title())
			}
			m.DoneReasons = strings.Join(reasons, ";")
		case lpm.IsBackward(from.State, to):
			m.Label, m.Name = "← "+to.Title()+"…", "back to "+to.Title()
		default:
			m.Label = "→ " + to.Title()
		}
		out = append(out, m)
	}
	return out
}

// filterChoices lists what the filter form offers: the portfolio's themes,
// value streams and members.
func (h *handler) filterChoices(ctx context.Context, portfolioID int64, f lpm.BoardFilter) (boardFilterView, error) {
	fv := boardFilterView{Type: string(f.Type), ThemeID: f.ThemeID, ValueStreamID: f.ValueStreamID, Owner: f.Owner,
		Active: !f.IsZero(), Types: []option{{"business", "Business"}, {"enabler", "Enabler"}}}
	themes, err := readAll(func(pg lpm.Page) ([]*lpm.StrategicTheme, string, error) {
		return h.store.FindThemes(ctx, portfolioID, pg)
	})
	if err != nil {
		return fv, fmt.Errorf("themes of portfolio %d: %w", portfolioID, err)
	}
	for _, t := range themes {
		fv.Themes = append(fv.Themes, option{strconv.FormatInt(t.ID, 10), t.Name})
	}
	streams, err := readAll(func(pg lpm.Page) ([]*lpm.ValueStream, string, error) {
		return h.store.FindValueStreams(ctx, portfolioID, pg)
	})
	if err != nil {
		return fv, fmt.Errorf("value streams of portfolio %d: %w", portfolioID, err)
	}
	for _, s := range streams {
		fv.ValueStreams = append(fv.ValueStreams, option{strconv.FormatInt(s.ID, 10), s.Name})
	}
	members, err := h.store.FindMembers(ctx, portfolioID)
	if err != nil {
		return fv, fmt.Errorf("members of portfolio %d: %w", portfolioID, err)
	}
	for _, m := range members {
		if !slices.Contains(fv.Owners, m.UserName) {
			fv.Owners = append(fv.Owners, m.UserName)
		}
	}
	slices.Sort(fv.Owners)
	offered := func(opts []option, id int64) bool {
		return slices.ContainsFunc(opts, func(o option) bool { return o.Value == strconv.FormatInt(id, 10) })
	}
	if (f.Owner != "" && !slices.Contains(fv.Owners, f.Owner)) || (f.ThemeID != 0 && !offered(fv.Themes, f.ThemeID)) ||
		(f.ValueStreamID != 0 && !offered(fv.ValueStreams, f.ValueStreamID)) {
		return fv, errUnknownChoice
	}
	return fv, nil
}

// filterQuery is f as the board's query string ("" without a filter).
func filterQuery(f lpm.BoardFilter) string {
	q := url.Values{}
	if f.Type != "" {
		q.Set("type", string(f.Type))
	}
	if f.ThemeID != 0 {
		q.Set("theme", strconv.FormatInt(f.ThemeID, 10))
	}
	if f.ValueStreamID != 0 {
		q.Set("value_stream", strconv.FormatInt(f.ValueStreamID, 10))
	}
	if f.Owner != "" {
		q.Set("owner", f.Owner)
	}
	return q.Encode()
}
