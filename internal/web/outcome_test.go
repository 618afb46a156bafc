package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestWithdrawFromTheCasePage: the liaison finds 登记代表撤回 and 不作为建议处理
// among a case's actions; a conversion without where it went is refused
// with the reason typed kept; a withdrawal ends the case and the page, the
// proposal page and the list say so. The demo's withdrawn suggestion shows
// its reason to the units that handled it.
func TestWithdrawFromTheCasePage(t *testing.T) {
	t.Parallel()
	cw := setupCasework(t)
	liaison := cw.login(t, "dcs.liaison")
	c := cw.caseOf(t, "关于推进中小学课后服务提质扩面的建议", "jyj")
	casePath := fmt.Sprintf("/cases/%d", c.ID)
	_, page := liaison.get(casePath)
	for _, want := range []string{`id="action-withdraw"`, `id="action-convert"`, `id="convert-destination" name="destination"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the case page lacks %s", want)
		}
	}
	resp, page := liaison.post(casePath+"/actions/convert", url.Values{"version": {fmt.Sprint(c.Version)}, "comment": {"属个人诉求"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "请填写该建议转往何处") || !strings.Contains(page, ">属个人诉求</textarea>") {
		t.Errorf("convert without where it went: %d", resp.StatusCode)
	}
	resp, _ = liaison.post(casePath+"/actions/withdraw", url.Values{"version": {fmt.Sprint(c.Version)}, "comment": {"代表书面申请撤回"}})
	_, page = liaison.follow(resp)
	if !strings.Contains(page, `data-state="withdrawn"`) || !strings.Contains(page, `data-outcome="withdrawn"`) || !strings.Contains(page, "代表书面申请撤回") {
		t.Errorf("after the withdrawal:\n%s", page)
	}
	if strings.Contains(page, `id="action-withdraw"`) {
		t.Error("a withdrawn case still offers the withdrawal")
	}
	_, page = liaison.get(fmt.Sprintf("/proposals/%d", c.ProposalID))
	if !strings.Contains(page, `data-outcome="withdrawn"`) {
		t.Error("the proposal page does not show the withdrawal")
	}
	_, page = liaison.get("/supervision/cases?state=withdrawn")
	if !strings.Contains(page, "关于推进中小学课后服务提质扩面的建议") || !strings.Contains(page, "已撤回") {
		t.Error("the list of withdrawn cases lacks the suggestion")
	}

	// The demo's withdrawal, as its co-handling unit sees it.
	co := cw.caseOf(t, "关于在中小学推广可躺式午休课桌椅的建议", "scjg")
	_, page = cw.login(t, "scjg.drafter").get(fmt.Sprintf("/cases/%d", co.ID))
	if !strings.Contains(page, `data-state="withdrawn"`) || !strings.Contains(page, "领衔代表来函申请撤回该建议") {
		t.Errorf("the demo's withdrawn suggestion at the co-handling unit:\n%s", page)
	}
}
