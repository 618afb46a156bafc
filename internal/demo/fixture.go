package demo

import (
	"context"
	"time"

	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/workflow"
)

// loadFixture walks No. 20240294 through the whole workflow: submitted
// during the session (2024-01-18 to 01-21), assigned with the session's
// other suggestions at the 交办 meeting on 2024-03-07 to the Market
// Supervision Bureau with the Science and Technology Innovation Bureau and
// the Intermediate People's Court co-handling, their opinions in by the end
// of March, the reply extended to 2024-09-06 to take in the year's patent
// conversion campaign, one return for revision, signed off on 2024-09-02 as
// class B for full publication, sent on 2024-09-05, rated satisfied, and
// published on 2024-09-30 18:35 as the record shows. Every step is on a
// working day.
func (l *loader) loadFixture(ctx context.Context, s *workflow.CongressSession) error {
	dep := &workflow.Deputy{Name: "陈明远", Delegation: "东湖新技术开发区代表团", Affiliation: "某科技企业", Phone: "13800000294", Email: "chen.mingyuan@deputy.example"}
	co := &workflow.Deputy{Name: "许佳", Delegation: "洪山区代表团", Affiliation: "某高校"}
	for _, d := range []*workflow.Deputy{dep, co} {
		if err := l.db.CreateDeputy(ctx, d); err != nil {
			return err
		}
	}
	p := &workflow.Proposal{SessionID: s.ID, Number: FixtureNumber, Kind: workflow.ProposalSuggestion,
		Title:       "关于加快推进科技成果转化的建议",
		Body:        "当前我市高校院所科技成果丰富，但成果转化率偏低，专利“沉睡”现象较为普遍。建议：一是完善成果转化激励政策；二是盘活高校院所存量专利；三是加强知识产权司法保护；四是培育专业化技术转移人才队伍；五是加强成果转化宣传推广。",
		SubmittedOn: workflow.Date{Year: 2024, Month: 1, Day: 19}, DeputyIDs: []int64{dep.ID, co.ID}}
	if err := l.db.CreateProposal(ctx, p); err != nil {
		return err
	}
	lead, err := l.assign(ctx, p.ID, "scjg", workflow.KindLead, pastAssigned)
	if err != nil {
		return err
	}
	for i, unit := range []string{"kcj", "zy"} {
		w, err := l.assign(ctx, p.ID, unit, workflow.KindCo, pastAssigned.Add(5*time.Minute))
		if err != nil {
			return err
		}
		// Opinions in within the month (co-opinion due 2024-04-07).
		w.t, w.gap = at(2024, 3, 8, 9, 30+i*10), 3*24*time.Hour
		opinion := []workflow.Section{{Heading: "协办意见", Body: coOpinions[unit]}}
		if err := w.walkTo(ctx, workflow.StateOpinionSubmitted, opinion, workflow.Input{}); err != nil {
			return err
		}
		l.count[w.c.State]++
	}

	sections := FixtureSections()
	steps := []func() error{
		func() error {
			return lead.act(ctx, workflow.ActionAccept, "drafter", at(2024, 3, 8, 9, 0), workflow.Input{})
		},
		func() error {
			return l.db.AddCommunication(ctx, l.users["scjg.drafter"], &storage.Communication{CaseID: lead.c.ID,
				Method: workflow.ContactPhone, HappenedOn: workflow.Date{Year: 2024, Month: 3, Day: 20},
				Participants: "陈明远代表；市市场监管局知识产权保护处王晓燕",
				Summary:      "电话联系代表，了解建议提出的背景和代表最关心的问题，约定待协办意见汇总后当面听取意见。"}, at(2024, 3, 20, 15, 0))
		},
		func() error {
			return lead.act(ctx, workflow.ActionRequestExtension, "approver", at(2024, 5, 27, 10, 0),
				workflow.Input{Comment: "建议涉及专利转化运用专项行动等年度工作安排，需待相关措施落地、与市科创局和市中院会商后一并答复，申请延期至2024年9月6日。",
					Due: workflow.Date{Year: 2024, Month: 9, Day: 6}})
		},
		func() error {
			return lead.act(ctx, workflow.ActionGrantExtension, "dcs.liaison", at(2024, 5, 29, 15, 0),
				workflow.Input{Comment: "同意延期至2024年9月6日，请按期答复代表。", Due: workflow.Date{Year: 2024, Month: 9, Day: 6}})
		},
		func() error {
			return l.db.AddCommunication(ctx, l.users["scjg.drafter"], &storage.Communication{CaseID: lead.c.ID,
				Method: workflow.ContactMeeting, HappenedOn: workflow.Date{Year: 2024, Month: 7, Day: 15},
				Participants: "陈明远代表；市市场监管局分管副局长刘建国，知识产权保护处处长陈志强、王晓燕；市科创局成果转化处",
				Summary:      "就专利盘活、成果转化服务队伍建设听取代表意见，代表建议加强高校院所专利评估和企业对接。"}, at(2024, 7, 15, 16, 0))
		},
		func() error { return lead.draft(ctx, "drafter", at(2024, 8, 20, 15, 0), sections[:1]) },
		func() error {
			return lead.act(ctx, workflow.ActionSubmit, "drafter", at(2024, 8, 21, 9, 0), workflow.Input{})
		},
		func() error {
			return lead.act(ctx, workflow.ActionReturnForRevision, "reviewer", at(2024, 8, 22, 11, 0),
				workflow.Input{Comment: "请补充“下一步工作打算”，并吸收市科创局、市中院的协办意见。"})
		},
		func() error { return lead.draft(ctx, "drafter", at(2024, 8, 26, 17, 0), sections) },
		func() error {
			return lead.act(ctx, workflow.ActionSubmit, "drafter", at(2024, 8, 26, 17, 30), workflow.Input{})
		},
		func() error {
			return lead.act(ctx, workflow.ActionForward, "reviewer", at(2024, 8, 28, 10, 0), workflow.Input{})
		},
		func() error {
			return lead.act(ctx, workflow.ActionSign, "approver", at(2024, 9, 2, 16, 0),
				workflow.Input{Class: workflow.ClassB, Disclosure: workflow.DisclosePublic, DocumentNumber: "武市监建〔2024〕294号"},
				func(c *storage.TransitionCmd) { c.ContactPerson, c.ContactPhone = "王晓燕", "027-85880294" })
		},
		func() error {
			return lead.act(ctx, workflow.ActionSend, "drafter", at(2024, 9, 5, 10, 0), workflow.Input{})
		},
		func() error {
			return lead.feedback(ctx, workflow.RatingSatisfied, workflow.RatingSatisfied, at(2024, 9, 25, 15, 0))
		},
		func() error {
			return lead.act(ctx, workflow.ActionPublish, "drafter", at(2024, 9, 30, 18, 35), workflow.Input{})
		},
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	l.count[lead.c.State]++
	return nil
}

var coOpinions = map[string]string{
	"kcj": "市科创局将继续落实《武汉市促进科技成果转化的若干政策措施》，完善“四个一”科技网格服务体系，依托“武创通”平台开展成果转化政策宣传和案例展示。",
	"zy":  "市中院将落实保护创新主体积极性和合法权益的八条措施，开展“知识产权护航百企”专项行动，发布知识产权保护典型案例。",
}
