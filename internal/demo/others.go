package demo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/banli-gov/banli/workflow"
)

// plan is one demo proposal: who handles it and how far it has come.
type plan struct {
	title    string
	lead     string   // lead unit, or "" for separate handling
	co       []string // co-handling units
	separate []string // separate handling (分办): each replies on its own
	target   workflow.State
	daysAgo  int    // assignment, counted back from now; from batchFrom on, the current session's 交办 meeting; 0 for the past session
	extra    string // published, withheld, extension_pending, extension_granted, waive, reassign:UNIT, round2, withdrawn, converted
}

// batchFrom is the least daysAgo of a plan assigned at the current session's
// 交办 meeting (currentBatchDays ago); plans assigned later are recess
// suggestions.
const batchFrom = 110

var plans = []plan{
	{title: "关于加强校园周边食品安全监管的建议", lead: "scjg", co: []string{"jyj"}, target: workflow.StateClosed, daysAgo: 110, extra: "published"},
	{title: "关于推进中小学课后服务提质扩面的建议", lead: "jyj", target: workflow.StateDrafting, daysAgo: 40},
	{title: "关于优化公交线网提升接驳效率的建议", lead: "jtj", target: workflow.StateInReview, daysAgo: 60},
	{title: "关于加强长江岸线生态修复的建议", lead: "sthj", co: []string{"jtj"}, target: workflow.StateAwaitingApproval, daysAgo: 75},
	{title: "关于规范电动自行车充电设施建设的建议", lead: "scjg", target: workflow.StateAssigned, daysAgo: 2},
	{title: "关于加快建设科技成果转化中试平台的建议", lead: "kcj", co: []string{"scjg"}, target: workflow.StateApproved, daysAgo: 85},
	{title: "关于完善知识产权纠纷多元化解机制的建议", lead: "zy", co: []string{"scjg"}, target: workflow.StateReplied, daysAgo: 95},
	{title: "关于治理城区餐饮油烟扰民的建议", lead: "sthj", target: workflow.StateRehandling, daysAgo: 130},
	{title: "关于增设地铁站无障碍设施的建议", lead: "jtj", target: workflow.StateReturnRequested, daysAgo: 3},
	{title: "关于加强预付卡消费监管的建议", lead: "jyj", target: workflow.StateReturned, daysAgo: 30, extra: "reassign:scjg"},
	{title: "关于支持高校毕业生留汉创新创业的建议", lead: "kcj", co: []string{"jyj"}, target: workflow.StateApproved, daysAgo: 88, extra: "waive"},
	{title: "关于加强农贸市场计量器具监管的建议", lead: "scjg", target: workflow.StateDrafting, daysAgo: 125},
	{title: "关于推动湖泊水质持续改善的建议", lead: "sthj", target: workflow.StateDrafting, daysAgo: 80, extra: "extension_granted"},
	{title: "关于优化义务教育学区划分的建议", lead: "jyj", target: workflow.StateDrafting, daysAgo: 70, extra: "extension_pending"},
	{title: "关于规范网约车市场秩序的建议", lead: "jtj", target: workflow.StateClosed, daysAgo: 120, extra: "withheld"},
	{title: "关于加强老旧小区燃气安全管理的建议", separate: []string{"scjg", "jtj"}, target: workflow.StateReplied, daysAgo: 90},
	{title: "关于建设智慧停车系统的建议", lead: "jtj", target: workflow.StateClosed, daysAgo: 115, extra: "published"},
	{title: "关于推进知识产权质押融资的建议", lead: "scjg", co: []string{"kcj"}, target: workflow.StateInReview, daysAgo: 50},
	{title: "关于加强中小学生近视防控的建议", lead: "jyj", target: workflow.StateClosed, daysAgo: 118, extra: "published"},
	{title: "关于加快新能源汽车充电桩建设的建议", lead: "jtj", co: []string{"sthj"}, target: workflow.StateDrafting, daysAgo: 20},
	{title: "关于完善涉企行政执法检查机制的建议", lead: "scjg", target: workflow.StateReplied, daysAgo: 92},
	{title: "关于加强直播带货监管的建议", lead: "scjg", target: workflow.StateInReview, daysAgo: 55},
	{title: "关于优化科技型企业认定服务的建议", lead: "kcj", target: workflow.StateAwaitingApproval, daysAgo: 65},
	{title: "关于规范校外培训机构管理的建议", lead: "jyj", target: workflow.StateAssigned, daysAgo: 1},
	{title: "关于加强建筑工地噪声污染防治的建议", lead: "sthj", target: workflow.StateApproved, daysAgo: 84},
	{title: "关于保障快递车辆通行便利的建议", lead: "jtj", target: workflow.StateDrafting, daysAgo: 140, extra: "round2"},
	{title: "关于推进法院诉讼服务便民化的建议", lead: "zy", target: workflow.StateDrafting, daysAgo: 35},
	{title: "关于在中小学推广可躺式午休课桌椅的建议", lead: "jyj", co: []string{"scjg"}, target: workflow.StateDrafting, daysAgo: 45, extra: "withdrawn"},
	{title: "关于复核个别车主交通违法处罚的建议", lead: "jtj", target: workflow.StateAssigned, daysAgo: 12, extra: "converted"},
	{title: "关于推进生活垃圾分类的建议", lead: "sthj", target: workflow.StateClosed, extra: "published"},
	{title: "关于加强青少年科普教育的建议", lead: "kcj", co: []string{"jyj"}, target: workflow.StateClosed, extra: "published"},
	{title: "关于提升审判执行效率的建议", lead: "zy", target: workflow.StateClosed, extra: "published"},
	{title: "关于加强冷链食品追溯管理的建议", lead: "scjg", target: workflow.StateClosed, extra: "published"},
}

var deputyNames = []struct{ name, delegation string }{
	{"刘志华", "江岸区代表团"}, {"杨帆", "江汉区代表团"}, {"宋晓红", "硚口区代表团"}, {"唐建平", "汉阳区代表团"},
	{"韩雪", "武昌区代表团"}, {"曹文军", "青山区代表团"}, {"彭丽", "洪山区代表团"}, {"邓国强", "东西湖区代表团"},
	{"谢芳", "蔡甸区代表团"}, {"蒋涛", "江夏区代表团"}, {"田静", "黄陂区代表团"}, {"潘伟", "新洲区代表团"},
}

// topic is the subject of a title: 关于X的建议 → X.
func topic(title string) string {
	return strings.TrimSuffix(strings.TrimPrefix(title, "关于"), "的建议")
}

func (l *loader) loadOthers(ctx context.Context, past, cur *workflow.CongressSession) error {
	var deputies []int64
	for _, n := range deputyNames {
		d := &workflow.Deputy{Name: n.name, Delegation: n.delegation, Phone: "139000000" + fmt.Sprintf("%02d", len(deputies))}
		if err := l.db.CreateDeputy(ctx, d); err != nil {
			return err
		}
		deputies = append(deputies, d.ID)
	}
	nPast, nCur := 0, 0
	meeting := l.currentMeeting()
	for i, pl := range plans {
		s, start := cur, l.now.In(shanghai).AddDate(0, 0, -pl.daysAgo)
		var number string
		var submitted workflow.Date
		switch {
		case pl.daysAgo == 0: // the past session: submitted during it, assigned at its 交办 meeting
			nPast++
			s, number = past, fmt.Sprintf("2024%04d", 100+nPast*17)
			start, submitted = pastAssigned, pastOpened.AddDays(nPast%(sessionDays-1))
		case pl.daysAgo >= batchFrom: // submitted during the current session
			nCur++
			number = fmt.Sprintf("%d%04d", cur.OpenedOn.Year, nCur*7)
			start, submitted = meeting, cur.OpenedOn.AddDays(nCur%(sessionDays-1))
		default: // submitted between sessions, assigned a fortnight later
			nCur++
			number = fmt.Sprintf("%d%04d", cur.OpenedOn.Year, nCur*7)
			start = l.workdayBefore(time.Date(start.Year(), start.Month(), start.Day(), 10, 0, 0, 0, shanghai))
			submitted = workflow.DateOf(l.workdayBefore(start.AddDate(0, 0, -recessLead)))
		}
		p := &workflow.Proposal{SessionID: s.ID, Number: number, Kind: workflow.ProposalSuggestion, Title: pl.title,
			Body:        fmt.Sprintf("近年来，%s工作取得一定成效，但仍存在短板，群众反映较多。建议相关部门加大工作力度，完善制度措施，切实解决群众关心的问题。", topic(pl.title)),
			SubmittedOn: submitted, DeputyIDs: []int64{deputies[i%len(deputies)], deputies[(i+5)%len(deputies)]}}
		if err := l.db.CreateProposal(ctx, p); err != nil {
			return err
		}
		if err := l.walkPlan(ctx, p, pl, start); err != nil {
			return fmt.Errorf("proposal %s %s: %w", p.Number, p.Title, err)
		}
	}
	return nil
}

func (l *loader) walkPlan(ctx context.Context, p *workflow.Proposal, pl plan, start time.Time) error {
	sections := replyFor(pl.title)
	sign := workflow.Input{Class: []workflow.ReplyClass{workflow.ClassA, workflow.ClassB, workflow.ClassB, workflow.ClassC}[int(p.ID)%4],
		Disclosure: workflow.DisclosePublic}
	if pl.extra == "withheld" {
		sign.Disclosure = workflow.DiscloseOnRequest
	}
	gap := min(2*24*time.Hour, l.now.Sub(start)/14)
	if pl.daysAgo == 0 {
		gap = 7 * 24 * time.Hour // the past session's replies took about two months
	}

	// Co-handling units first: their opinions gate the lead's sign-off.
	leadPast := stageIndex(pl.target) >= stageIndex(workflow.StateInReview) || pl.target == workflow.StateRehandling
	var coUnits []*walker
	for _, unit := range pl.co {
		w, err := l.assign(ctx, p.ID, unit, workflow.KindCo, start)
		if err != nil {
			return err
		}
		coUnits = append(coUnits, w)
		w.gap = gap / 2 // co-opinions are due within a month, before the lead's sign-off
		coTarget := workflow.StateDrafting
		if leadPast && pl.extra != "waive" {
			coTarget = workflow.StateOpinionSubmitted
		}
		if pl.target == workflow.StateDrafting && pl.daysAgo < 25 {
			coTarget = workflow.StateAssigned
		}
		if err := w.walkTo(ctx, coTarget, []workflow.Section{{Heading: "协办意见", Body: "我单位同意主办单位的办理意见，并将按职责做好配合工作。"}}, workflow.Input{}); err != nil {
			return err
		}
		l.count[w.c.State]++
	}

	units := pl.separate
	kind := workflow.KindSeparate
	if pl.lead != "" {
		units, kind = []string{pl.lead}, workflow.KindLead
	}
	for _, unit := range units {
		w, err := l.assign(ctx, p.ID, unit, kind, start)
		if err != nil {
			return err
		}
		w.gap = gap
		if err := l.walkCase(ctx, p, w, pl, sections, sign); err != nil {
			return err
		}
		l.count[w.c.State]++
		if pl.separate != nil {
			pl.target = workflow.StateDrafting // the second separate unit is still working
		}
		switch pl.extra {
		case "withdrawn":
			return l.end(ctx, w, coUnits, workflow.ActionWithdraw, workflow.Input{
				Comment: "领衔代表来函申请撤回该建议：学校午休条件已纳入区级改善计划统筹解决，不再需要作为建议办理。"})
		case "converted":
			return l.end(ctx, w, coUnits, workflow.ActionConvert, workflow.Input{
				Comment: "该建议反映的是个别群众交通违法处罚的具体诉求，不属于代表建议范围。", Destination: "转为来信，交市信访局办理"})
		}
	}
	return nil
}

// end records, through the lead unit's case w, that the suggestion ended
// without a reply (a, 撤回 or 不作为建议处理): every open case of it ends, the
// co-handling units' (coUnits) too.
func (l *loader) end(ctx context.Context, w *walker, coUnits []*walker, a workflow.Action, in workflow.Input) error {
	before := w.c.State
	if err := w.act(ctx, a, "dcs.liaison", w.next(), in); err != nil {
		return err
	}
	l.count[before]--
	l.count[w.c.State]++
	for _, co := range coUnits {
		if !co.c.State.Terminal() {
			l.count[co.c.State]--
			l.count[w.c.State]++
		}
	}
	return nil
}

func (l *loader) walkCase(ctx context.Context, p *workflow.Proposal, w *walker, pl plan, sections []workflow.Section, sign workflow.Input) error {
	day := 24 * time.Hour
	switch pl.target {
	case workflow.StateReturnRequested, workflow.StateReturned:
		if err := w.act(ctx, workflow.ActionRequestReturn, "drafter", w.after(day), workflow.Input{Comment: "该建议事项不属于我单位职责范围，建议改由市市场监管局主办。"}); err != nil {
			return err
		}
		if pl.target == workflow.StateReturnRequested {
			return nil
		}
		if err := w.act(ctx, workflow.ActionApproveReturn, "dcs.liaison", w.after(day), workflow.Input{}); err != nil {
			return err
		}
		l.count[w.c.State]++
		unit := strings.TrimPrefix(pl.extra, "reassign:")
		nw, err := l.assign(ctx, p.ID, unit, workflow.KindLead, w.after(day))
		if err != nil {
			return err
		}
		nw.gap = w.gap
		*w = *nw
		return w.walkTo(ctx, workflow.StateDrafting, sections, sign)
	}

	if pl.extra == "waive" {
		if err := w.walkTo(ctx, workflow.StateAwaitingApproval, sections, sign); err != nil {
			return err
		}
		if err := w.act(ctx, workflow.ActionWaiveCoOpinions, "dcs.liaison", w.next(), workflow.Input{}); err != nil {
			return err
		}
	}
	target := pl.target
	if pl.extra == "round2" {
		target = workflow.StateRehandling
	}
	if err := w.walkTo(ctx, target, sections, sign); err != nil {
		return err
	}
	switch pl.extra {
	case "extension_pending", "extension_granted":
		in := workflow.Input{Comment: "需协调多个部门开展实地调研，申请延期答复。", Due: w.c.ReplyDue.AddDays(30)}
		if err := w.act(ctx, workflow.ActionRequestExtension, "approver", w.next(), in); err != nil {
			return err
		}
		if pl.extra == "extension_granted" {
			if err := w.act(ctx, workflow.ActionGrantExtension, "dcs.liaison", w.next(), workflow.Input{Due: in.Due, Comment: "同意延期。"}); err != nil {
				return err
			}
		}
	}
	if w.c.State == workflow.StateReplied {
		switch pl.extra {
		case "published":
			if err := w.act(ctx, workflow.ActionPublish, "drafter", w.next(), workflow.Input{}); err != nil {
				return err
			}
		case "withheld":
			if err := w.act(ctx, workflow.ActionWithhold, "approver", w.next(), workflow.Input{Comment: "答复涉及行政执法工作细节，依申请公开。"}); err != nil {
				return err
			}
		}
	}
	switch target {
	case workflow.StateClosed:
		return w.feedback(ctx, workflow.RatingSatisfied, []workflow.Rating{workflow.RatingSatisfied, workflow.RatingBasicallySatisfied}[int(p.ID)%2], w.next())
	case workflow.StateRehandling:
		if err := w.feedback(ctx, workflow.RatingBasicallySatisfied, workflow.RatingDissatisfied, w.next()); err != nil {
			return err
		}
		if pl.extra == "round2" {
			return w.act(ctx, workflow.ActionAccept, "drafter", w.next(), workflow.Input{})
		}
	}
	return nil
}
