package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/banli-gov/banli/workflow"
)

// The demo's key suggestion (重点建议) with a progress report, and its
// merged pair (并案): suggestions of the current session of their own, so
// that No. 20240294 and the other plans stay as they are.

// keyMergeNumber is the number of the n-th of these suggestions in a
// session opened in year: 0501, 0502, … (beyond the other plans' numbers).
func keyMergeNumber(year, n int) string { return fmt.Sprintf("%d%04d", year, 500+n) }

// loadKeyMerge adds, to the current session cur:
//   - a key suggestion overseen by a vice mayor, handled by the ecology
//     and environment bureau, being drafted, with a progress report filed
//     after the first interval; the bureau's approver is marked as its
//     principal leader, who will sign it off;
//   - two duplicate suggestions on lift safety, merged into one handling
//     at the market supervision bureau before it accepted them, drafted
//     once and replied to together: each deputy has a reply to their own
//     suggestion.
func (l *loader) loadKeyMerge(ctx context.Context, cur *workflow.CongressSession) error {
	deputy := func(name, delegation string) (int64, error) {
		d := &workflow.Deputy{Name: name, Delegation: delegation}
		err := l.db.CreateDeputy(ctx, d)
		return d.ID, err
	}
	proposal := func(n int, title, body string, submitted time.Time, deputies ...int64) (*workflow.Proposal, error) {
		p := &workflow.Proposal{SessionID: cur.ID, Number: keyMergeNumber(cur.OpenedOn.Year, n), Kind: workflow.ProposalSuggestion,
			Title: title, Body: body, SubmittedOn: workflow.DateOf(submitted), DeputyIDs: deputies}
		return p, l.db.CreateProposal(ctx, p)
	}
	// day is a working day about daysAgo days back: demo work is never
	// dated on a weekend or holiday (workdayBefore: never in the future).
	day := func(daysAgo int) time.Time {
		t := l.now.AddDate(0, 0, -daysAgo)
		return l.workdayBefore(time.Date(t.Year(), t.Month(), t.Day(), 10, 0, 0, 0, shanghai))
	}

	// The key suggestion.
	d1, err := deputy("严志刚", "江岸区代表团")
	if err != nil {
		return err
	}
	d2, err := deputy("毛丽君", "汉阳区代表团")
	if err != nil {
		return err
	}
	start := day(50)
	key, err := proposal(1, "关于系统推进东湖水环境综合治理的建议",
		"东湖是全国最大的城中湖，近年来水质总体改善，但部分湖汊仍有黑臭反弹，入湖排口管控和面源污染治理仍有短板。建议制定东湖水环境综合治理三年行动方案，统筹截污控源、生态补水和湖岸生态修复，建立跨区域联合巡查机制。",
		start.AddDate(0, 0, -30), d1, d2)
	if err != nil {
		return err
	}
	w, err := l.assign(ctx, key.ID, "sthj", workflow.KindLead, start)
	if err != nil {
		return err
	}
	mark := workflow.KeyMark{ProposalID: key.ID, LeaderName: "王建国", LeaderTitle: "副市长", Office: "市人民政府督查室"}
	if err := l.db.MarkKey(ctx, l.users["dcs.liaison"], mark, start.Add(2*time.Hour)); err != nil {
		return fmt.Errorf("mark %s as key: %w", key.Number, err)
	}
	if err := w.act(ctx, workflow.ActionAccept, "drafter", l.workday(start.AddDate(0, 0, 1)), workflow.Input{}); err != nil {
		return err
	}
	report := &workflow.ProgressReport{CaseID: w.c.ID, ReportedOn: workflow.DateOf(day(20)),
		Body: "已会同东湖生态旅游风景区管委会完成入湖排口排查，共排查排口126个，其中需整治的23个已制定“一口一策”方案；东湖水环境综合治理三年行动方案初稿已形成，正在征求相关区和部门意见。"}
	if err := l.db.AddProgressReport(ctx, l.users["sthj.drafter"], report, day(20)); err != nil {
		return fmt.Errorf("progress report on %s: %w", key.Number, err)
	}
	if err := w.draft(ctx, "drafter", day(10), []workflow.Section{
		{Heading: "一、工作开展情况", Body: "一是全面排查入湖排口。会同东湖生态旅游风景区管委会对环湖126个排口逐一排查，建立排口台账，对需整治的23个排口制定“一口一策”整治方案。\n\n二是编制综合治理方案。组织编制东湖水环境综合治理三年行动方案，明确截污控源、生态补水、湖岸修复等重点任务。"},
		{Heading: "二、下一步工作打算", Body: "一是年内完成23个排口整治。\n\n二是推动行动方案印发实施，建立跨区域联合巡查机制，定期向代表通报治理进展。"},
	}); err != nil {
		return err
	}
	l.count[w.c.State]++
	if err := l.db.SetPrincipalLeader(ctx, workflow.System, l.users["sthj.approver"].UserID, true); err != nil {
		return err
	}

	// The merged pair.
	d3, err := deputy("钱学文", "武昌区代表团")
	if err != nil {
		return err
	}
	d4, err := deputy("孔令华", "洪山区代表团")
	if err != nil {
		return err
	}
	start = day(60)
	main, err := proposal(2, "关于加强老旧住宅电梯安全管理的建议",
		"我市2000年前建成的住宅小区中，不少电梯已使用超过15年，故障困人时有发生，维保质量参差不齐。建议加强老旧住宅电梯安全监管，推行按需维保，建立电梯安全责任保险制度。",
		start.AddDate(0, 0, -35), d3)
	if err != nil {
		return err
	}
	dup, err := proposal(3, "关于推进老旧电梯更新改造的建议",
		"老旧小区电梯老化问题突出，更新改造资金筹措难、业主意见难统一。建议加强老旧电梯安全评估，明确更新改造的条件和资金渠道，对存在安全隐患的电梯加密检验。",
		start.AddDate(0, 0, -34), d4)
	if err != nil {
		return err
	}
	mw, err := l.assign(ctx, main.ID, "scjg", workflow.KindLead, start)
	if err != nil {
		return err
	}
	dw, err := l.assign(ctx, dup.ID, "scjg", workflow.KindLead, start)
	if err != nil {
		return err
	}
	if err := l.db.Merge(ctx, l.users["dcs.liaison"], main.ID, dup.ID, start.Add(3*time.Hour)); err != nil {
		return fmt.Errorf("merge %s into %s: %w", dup.Number, main.Number, err)
	}
	mw.t = start.Add(4 * time.Hour)
	mw.gap = 4 * 24 * time.Hour
	sections := []workflow.Section{
		{Heading: "一、工作开展情况", Body: "一是开展老旧住宅电梯安全专项检查。对全市使用15年以上的住宅电梯逐台开展安全评估，评估结果向业主公示。\n\n二是推行按需维保试点。在江岸、武昌等区选取120台电梯开展按需维保试点，维保质量纳入信用监管。\n\n三是推动电梯安全责任保险。会同金融监管部门推广电梯安全责任保险，已覆盖住宅电梯1.2万台。"},
		{Heading: "二、下一步工作打算", Body: "一是会同住房城乡建设部门研究老旧电梯更新改造资金筹措办法，支持使用住宅专项维修资金。\n\n二是对评估存在安全隐患的电梯实施加密检验，督促限期整改。"},
	}
	sign := workflow.Input{Class: workflow.ClassB, Disclosure: workflow.DisclosePublic, DocumentNumber: "武市监建〔" + fmt.Sprint(cur.OpenedOn.Year) + "〕52号"}
	if err := mw.walkTo(ctx, workflow.StateReplied, sections, sign); err != nil {
		return fmt.Errorf("walk the merged pair %s and %s: %w", main.Number, dup.Number, err)
	}
	l.count[mw.c.State] += 2
	_ = dw // moved with the main case: storage.Transition's follow
	return nil
}
