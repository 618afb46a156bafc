package main

import (
	"os"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/banli-gov/banli/internal/browsertest"
)

// columnsFit is a script that returns the key columns of the tables of a
// page that end beyond the window (their header cells' right edges past
// window.innerWidth), and whether the page itself scrolls sideways.
const columnsFit = `(() => {
	const out = [];
	for (const th of document.querySelectorAll("table.sv-table thead th, table.wb-table thead th")) {
		const r = th.getBoundingClientRect();
		if (r.right > window.innerWidth + 0.5) out.push(th.closest("table").id + ": " + th.textContent.trim() + " ends at " + Math.round(r.right));
	}
	if (document.documentElement.scrollWidth > window.innerWidth) out.push("the page scrolls sideways: " + document.documentElement.scrollWidth);
	return out;
})()`

// TestBrowserDashboardFits: at 1280 px and 1920 px wide, every column of
// the dashboard's tables (/supervision) and of the case list is within the
// window: nothing to scroll sideways to. Screenshots go to
// $BANLI_SCREENSHOTS when set.
func TestBrowserDashboardFits(t *testing.T) {
	base, _, _ := startDev(t)
	b := browsertest.Start(t)
	dir := os.Getenv("BANLI_SCREENSHOTS")
	if dir == "" {
		dir = screenshotDir(t)
	}
	liaison := b.NewTab(t)
	loginAs(t, liaison, base, "dcs.liaison")
	for _, width := range []int64{1280, 1920} {
		for _, page := range []struct{ name, path string }{{"supervision", "/supervision"}, {"supervision-cases", "/supervision/cases"}} {
			liaison.Do(t, "open "+page.path, chromedp.EmulateViewport(width, 900), chromedp.Navigate(base+page.path),
				chromedp.WaitVisible(chromedp.CSS("table")))
			out, err := chromedp.Run(liaison.Ctx, chromedp.Evaluate[[]string](columnsFit))
			if err != nil {
				t.Fatal(err)
			}
			for _, o := range out {
				t.Errorf("%s at %d px: %s", page.path, width, o)
			}
			liaison.Screenshot(t, dir, page.name+"-"+map[int64]string{1280: "1280", 1920: "1920"}[width])
		}
	}
	if errs := liaison.Errors(); len(errs) > 0 {
		t.Errorf("console errors: %q", errs)
	}
}
