package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/banli-gov/banli/internal/browsertest"
)

var updateScreenshots = flag.Bool("update-screenshots", false, "write the browser tests' screenshots to docs/screenshots for the README")

// screenshotDir is where the browser tests put their screenshots: the
// README's docs/screenshots with -update-screenshots, a temporary directory
// otherwise.
func screenshotDir(t *testing.T) string {
	if *updateScreenshots {
		dir := filepath.Join("..", "..", "docs", "screenshots")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	return t.TempDir()
}

// loginAs logs a demo user in through the development OpenID provider, as a
// person would: the login page, the provider, the user's button.
func loginAs(t *testing.T, tab *browsertest.Tab, base, login string) {
	t.Helper()
	user := chromedp.CSS(`form:has(input[name="user"][value="` + login + `"]) button`)
	tab.Do(t, "open the login page", chromedp.Navigate(base+"/login"), chromedp.WaitVisible(chromedp.CSS(`a[href^="/login/dev"]`)))
	// The link's target, navigated to so that the next step waits for the
	// provider's page to load instead of racing the click's navigation.
	tab.Do(t, "go to the development provider", chromedp.Navigate(base+"/login/dev"), chromedp.WaitVisible(user))
	tab.Do(t, "pick "+login, chromedp.Click(user))
	tab.Do(t, "land back in banli", chromedp.WaitVisible(chromedp.CSS(`form[action="/logout"]`)))
}

// TestBrowserPublicReplyAndLogin opens the published reply to No. 20240294 on
// the public portal and logs a drafter in through the development provider,
// in Chromium, on the README's run command (banli dev); no page writes to
// the console.
//
// The browser tests do not run in parallel with the package's others: a
// browser on a busy 2-core machine is slow enough already.
func TestBrowserPublicReplyAndLogin(t *testing.T) {
	base, _, _ := startDev(t)
	b := browsertest.Start(t)
	shots := screenshotDir(t)

	pub := b.NewTab(t)
	pub.Do(t, "open the reply by its number", chromedp.Navigate(base+"/public/市十五届人大三次会议/20240294"))
	if h1 := pub.Text(t, "h1"); h1 != "关于市十五届人大三次会议第20240294号建议的答复" {
		t.Errorf("public reply title %q", h1)
	}
	if body := pub.Text(t, "main"); !strings.Contains(body, "发布时间：2024-09-30 18:35") || !strings.Contains(body, "武汉市市场监督管理局") {
		t.Errorf("public reply lacks its 发布时间 or 来源:\n%s", body)
	}
	pub.Screenshot(t, shots, "public-reply")
	pub.Do(t, "open the public list", chromedp.Navigate(base+"/public"))
	pub.Screenshot(t, shots, "public-list")

	drafter := b.NewTab(t)
	loginAs(t, drafter, base, "scjg.drafter")
	if body := drafter.Text(t, "header"); !strings.Contains(body, "王晓燕") {
		t.Errorf("the header does not show the drafter:\n%s", body)
	}
	drafter.Screenshot(t, shots, "workbench")

	for name, tab := range map[string]*browsertest.Tab{"public": pub, "drafter": drafter} {
		if errs := tab.Errors(); len(errs) > 0 {
			t.Errorf("%s tab: console errors:\n%s", name, strings.Join(errs, "\n"))
		}
	}
}

// TestBrowserWalkThrough: four people log in through the development
// provider in their own browser contexts — the liaison, and the Market
// Supervision Bureau's drafter, reviewer and approver — and take a new
// suggestion from registration and assignment through drafting, review,
// sign-off, reply, feedback and publication; then it is found on the public
// portal. No page writes an error to the console.
func TestBrowserWalkThrough(t *testing.T) {
	base, _, _ := startDev(t)
	b := browsertest.Start(t)
	shots := screenshotDir(t)
	users := map[string]*browsertest.Tab{}
	for _, login := range []string{"dcs.liaison", "scjg.drafter", "scjg.reviewer", "scjg.approver"} {
		users[login] = b.NewTab(t)
		loginAs(t, users[login], base, login)
	}
	liaison, drafter, reviewer, approver := users["dcs.liaison"], users["scjg.drafter"], users["scjg.reviewer"], users["scjg.approver"]
	const number = "20269901"
	const title = "关于浏览器测试全流程办理的建议"

	// The liaison registers the suggestion and assigns it to the bureau.
	liaison.Do(t, "register the suggestion",
		chromedp.Navigate(base+"/proposals/new"),
		chromedp.SetValue(chromedp.ID("proposal-number"), number),
		chromedp.SetValue(chromedp.ID("proposal-title"), title),
		chromedp.SetValue(chromedp.ID("proposal-body"), "建议加强全流程在线办理。"),
		chromedp.SetValue(chromedp.ID("proposal-submitted"), "2026-11-02"),
		chromedp.SetValue(chromedp.ID("proposal-lead-name"), "测试代表"),
		chromedp.SetValue(chromedp.ID("proposal-lead-delegation"), "江岸区代表团"),
	)
	// A co-signer through the deputy picker: typing part of a name offers
	// the deputies it matches; clicking one writes 姓名（代表团）.
	typed := func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		_, err := chromedp.Evaluate[bool](`(() => { const e = document.getElementById("proposal-cosigner-names"); e.focus();
			e.value = "许"; e.dispatchEvent(new Event("input", {bubbles: true})); return true })()`)(ctx, tg)
		return chromedp.Void{}, err
	}
	liaison.Do(t, "pick a co-signer", typed,
		chromedp.WaitVisible(chromedp.CSS(`#proposal-cosigner-results [role="option"]`)),
		chromedp.Click(chromedp.CSS(`#proposal-cosigner-results [role="option"]`)))
	picked, err := chromedp.Run(liaison.Ctx, chromedp.Evaluate[string](`document.getElementById("proposal-cosigner-names").value`))
	if err != nil || picked != "许佳（洪山区代表团）、" {
		t.Errorf("the picker wrote %q (%v), want 许佳（洪山区代表团）、", picked, err)
	}
	liaison.Screenshot(t, shots, "proposal-new")
	liaison.Do(t, "submit the suggestion", chromedp.Click(chromedp.ID("proposal-submit")), chromedp.WaitVisible(chromedp.ID("assign-form")))
	shown, err := chromedp.Run(liaison.Ctx, chromedp.Evaluate[bool](`document.body.innerText.includes("许佳")`))
	if err != nil || !shown {
		t.Errorf("the suggestion's page does not show the co-signer picked (%v)", err)
	}
	liaison.Do(t, "assign the lead unit", chromedp.SetValue(chromedp.ID("assign-lead"), "scjg"), chromedp.Click(chromedp.ID("assign-submit")),
		chromedp.WaitVisible(chromedp.CSS(`#proposal-cases a[href^="/cases/"]`)))
	attr, err := chromedp.Run(liaison.Ctx, chromedp.AttributeValue(chromedp.CSS(`#proposal-cases a[href^="/cases/"]`), "href"))
	if err != nil {
		t.Fatal(err)
	}
	href := attr.Value
	caseURL := base + href
	// act takes an action on the case page as a person would: open the page,
	// fill the action's form, press its button, and wait for the page to
	// show the state the transition table leads to.
	act := func(tab *browsertest.Tab, who, action, want string, fill ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		tab.Do(t, who+": open the case for "+action, chromedp.Navigate(caseURL), chromedp.WaitVisible(chromedp.ID(action+"-submit")))
		for i, f := range fill {
			tab.Do(t, fmt.Sprintf("%s: fill the %s form (%d)", who, action, i+1), f)
		}
		tab.Do(t, who+": "+action, chromedp.Click(chromedp.ID(action+"-submit")))
		tab.Do(t, who+": see the case "+want+" after "+action,
			chromedp.WaitVisible(chromedp.CSS(`#case-state[data-state="`+want+`"], #publication-state[data-state="`+want+`"]`)))
	}
	// check ticks a radio button or box by clicking it in the page.
	check := func(id string) chromedp.Action[chromedp.Void] {
		return func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
			_, err := chromedp.Evaluate[bool](`(() => { const e = document.getElementById(`+strconv.Quote(id)+`); e.click(); return e.checked })()`)(ctx, tg)
			return chromedp.Void{}, err
		}
	}

	// The drafter finds it on the workbench, accepts it and drafts the reply.
	drafter.Do(t, "open the workbench", chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.CSS(`a.case-link[href="`+href+`"]`)))
	drafter.Screenshot(t, shots, "workbench-new-case")
	act(drafter, "drafter", "accept", "drafting")
	drafter.Do(t, "draft the reply",
		chromedp.Navigate(caseURL+"/draft"),
		chromedp.SetValue(chromedp.ID("section-0-body"), "一是建设全流程在线办理平台。\n\n二是加强部门协同。"),
		chromedp.SetValue(chromedp.ID("section-1-body"), "一是持续完善平台功能。"),
		chromedp.Click(chromedp.ID("draft-save")),
		chromedp.WaitVisible(chromedp.ID("versions")),
	)
	drafter.Screenshot(t, shots, "draft-editor")
	act(drafter, "drafter", "submit", "in_review")
	act(reviewer, "reviewer", "forward", "awaiting_approval")
	act(approver, "approver", "sign", "approved",
		check("sign-class-B"),
		check("sign-disclosure-public"),
		chromedp.SetValue(chromedp.ID("sign-document_number"), "武市监建〔2026〕9901号"),
	)
	approver.Do(t, "open the letter", chromedp.Navigate(caseURL+"/reply/print"), chromedp.WaitVisible(chromedp.ID("print-back")))
	approver.Screenshot(t, shots, "reply-letter")
	act(drafter, "drafter", "send", "replied")
	act(liaison, "liaison", "record_feedback", "closed",
		check("record_feedback-work_rating-satisfied"),
		check("record_feedback-result_rating-satisfied"),
	)
	act(drafter, "drafter", "publish", "published")
	drafter.Screenshot(t, shots, "case-page")

	// The public finds it.
	pub := b.NewTab(t)
	pub.Do(t, "search the portal", chromedp.Navigate(base+"/public?q="+number), chromedp.Click(chromedp.CSS(`main a[href^="/public/replies/"]`)),
		// The click starts a navigation: wait for the reply page itself, not
		// the list's h1 that is about to be replaced.
		chromedp.WaitVisible(chromedp.CSS(`article.reply h1`)))
	if h1 := pub.Text(t, "article.reply h1"); !strings.Contains(h1, "第"+number+"号建议的答复") {
		t.Errorf("public page title %q", h1)
	}
	if body := pub.Text(t, "main"); !strings.Contains(body, "一是建设全流程在线办理平台。") || strings.Contains(body, "测试代表") {
		t.Errorf("public page text:\n%s", body)
	}

	liaison.Do(t, "open the dashboard", chromedp.Navigate(base+"/supervision"), chromedp.WaitVisible(chromedp.CSS("main")))
	liaison.Screenshot(t, shots, "supervision")

	for who, tab := range map[string]*browsertest.Tab{"liaison": liaison, "drafter": drafter, "reviewer": reviewer, "approver": approver, "public": pub} {
		if errs := tab.Errors(); len(errs) > 0 {
			t.Errorf("%s: console errors:\n%s", who, strings.Join(errs, "\n"))
		}
	}
}
