package browsertest

import (
	"fmt"

	"github.com/chromedp/chromedp"
)

// Select chooses the option with value in the select element matching the
// CSS selector, as picking it from the list would (input and change
// events). It fails if the list has no such option.
func (p *Page) Select(sel, value string) {
	p.t.Helper()
	p.doOn(sel, fmt.Sprintf("select %q in %q", value, sel),
		chromedp.WaitVisible(chromedp.CSS(sel)),
		chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => {
			const e = document.querySelector(%s), v = %s;
			if (![...e.options].some(o => o.value === v)) throw new Error("no option " + v + " in " + e.id);
			e.focus();
			e.value = v;
			e.dispatchEvent(new Event("input", {bubbles: true}));
			e.dispatchEvent(new Event("change", {bubbles: true}));
		})()`, jsString(sel), jsString(value))))
}
