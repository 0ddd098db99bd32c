package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/lpm-project/lpm/internal/httpauth"
	"github.com/lpm-project/lpm/internal/lpm"
)

// chrome is what the layout around every page needs; each page's view
// embeds it.
type chrome struct {
	Title string
	// Me is the signed-in person, nil on pages for people not signed in.
	Me *meView
	// CSRF is the session's token, for the forms of the page (sign-out among
	// them) and for the scripts' API calls.
	CSRF string
	// Portfolio is set on pages inside a portfolio: the layout shows its
	// navigation, with Section marked as the current entry.
	Portfolio *navPortfolio
	Section   string
	// Scripts are static files loaded (deferred) by the page.
	Scripts []string
	// Notice reports what the person's last form did (shown once); Alert is
	// set when it was refused.
	Notice string
	Alert  bool
}

// meView is the signed-in person in the page header.
type meView struct {
	Name, UserName string
	IsAdmin        bool
}

// navPortfolio is the portfolio whose navigation a page shows.
type navPortfolio struct {
	ID   int64
	Name string
	// Configure shows the Kanban settings entry.
	Configure bool
}

// Sections of a portfolio's navigation.
const (
	sectionHome         = "home"
	sectionBoard        = "board"
	sectionThemes       = "themes"
	sectionValueStreams = "value-streams"
	sectionSettings     = "settings"
	sectionCanvas       = "canvas"
)

// chromeFor is the layout of a page for v; it takes the notice the last form
// left (and clears it).
func (h *handler) chromeFor(w http.ResponseWriter, r *http.Request, v *viewer, title string) chrome {
	notice, alert := h.takeNotice(w, r)
	return chrome{
		Title:  title,
		Me:     &meView{Name: v.name(), UserName: v.user.Name, IsAdmin: v.user.IsAdmin},
		CSRF:   v.session.CSRFToken,
		Notice: notice,
		Alert:  alert,
	}
}

// inPortfolio is chromeFor a page of portfolio p, in section.
func (h *handler) inPortfolio(w http.ResponseWriter, r *http.Request, v *viewer, p *lpm.Portfolio, section, title string) chrome {
	c := h.chromeFor(w, r, v, title)
	c.Portfolio = &navPortfolio{ID: p.ID, Name: p.Name,
		Configure: v.may(lpm.ConfigureKanban, lpm.PortfolioTarget(p.ID))}
	c.Section = section
	return c
}

// noticeCookie carries a one-time message from a form's redirect to the page
// it lands on ("EP-12 moved to ready"). It is signed with the session's
// secret, so nobody who can merely set cookies for lpm's host (a sibling
// subdomain, a network attacker on plain HTTP) can put text of their own on
// a page, let alone next to the CSRF token on a compressed page.
const noticeCookie = "lpm_notice"

// maxNoticeLen bounds a notice.
const maxNoticeLen = 300

// notify leaves msg for the next page the browser loads.
func (h *handler) notify(w http.ResponseWriter, r *http.Request, msg string) {
	h.leaveNotice(w, r, "i", msg)
}

// alert leaves msg for the next page, marked as a refusal.
func (h *handler) alert(w http.ResponseWriter, r *http.Request, msg string) {
	h.leaveNotice(w, r, "!", msg)
}

func (h *handler) leaveNotice(w http.ResponseWriter, r *http.Request, kind, msg string) {
	secret := httpauth.SessionSecret(r)
	if secret == "" {
		return
	}
	text := []byte(clip(msg, maxNoticeLen))
	value := kind + base64.RawURLEncoding.EncodeToString(text) + "." + noticeMAC(secret, kind, text)
	http.SetCookie(w, &http.Cookie{Name: noticeCookie, Value: value,
		Path: "/", MaxAge: 60, HttpOnly: true, Secure: h.secure(r), SameSite: http.SameSiteLaxMode})
}

// takeNotice returns the notice left for this page, if any and if this
// session left it, and whether it is a refusal, and clears it.
func (h *handler) takeNotice(w http.ResponseWriter, r *http.Request) (string, bool) {
	c, err := r.Cookie(noticeCookie)
	if err != nil || c.Value == "" {
		return "", false
	}
	h.expireCookie(w, r, noticeCookie, "/")
	kind, rest := c.Value[:1], c.Value[1:]
	encoded, mac, ok := strings.Cut(rest, ".")
	text, err := base64.RawURLEncoding.DecodeString(encoded)
	secret := httpauth.SessionSecret(r)
	if !ok || err != nil || secret == "" || len(text) > maxNoticeLen || !utf8.Valid(text) ||
		!hmac.Equal([]byte(mac), []byte(noticeMAC(secret, kind, text))) {
		return "", false
	}
	return string(text), kind == "!"
}

// noticeMAC signs a notice with the session's secret.
func noticeMAC(secret, kind string, text []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte("lpm notice\x00" + kind + "\x00"))
	m.Write(text)
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:16])
}
