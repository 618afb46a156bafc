package workflow

import (
	"fmt"
	"time"
)

// CongressSession is a session of a people's congress (届次/会议), e.g.
// 武汉市第十五届人民代表大会第三次会议, short name 市十五届人大三次会议.
type CongressSession struct {
	ID        int64
	Name      string
	ShortName string
	OpenedOn  Date
	Rules     RuleSet
	// Reminders is when deadline reminders go out (DefaultReminderPolicy
	// when zero).
	Reminders ReminderPolicy
	// Letter is how the session's reply letters read (答复函设置); a new
	// session has DefaultLetterSettings.
	Letter LetterSettings
}

// Department is a unit (承办单位) or the liaison office.
type Department struct {
	ID        int64
	Code      string
	Name      string
	ShortName string
	// LiaisonOffice marks the liaison office (督办), whose users see every unit.
	LiaisonOffice bool
}

// User is a person who logs in to banli.
type User struct {
	ID           int64
	DepartmentID int64 // 0 while the user awaits a department
	Name         string
	Email        string
	Issuer       string
	Subject      string
	Roles        []Role
	Disabled     bool
	// PrincipalLeader marks the unit's principal leader (主要负责人), who
	// signs key suggestions off; an admin sets it.
	PrincipalLeader bool
}

// Actor is who takes an action: a user with their roles and department, or a
// deputy through a signed feedback link (UserID 0, role RoleDeputy).
type Actor struct {
	UserID       int64
	DepartmentID int64
	Roles        []Role
	// PrincipalLeader: the user is their unit's principal leader (主要负责人).
	PrincipalLeader bool
}

// RolesOn returns the actor's roles that apply to a case of department dept:
// unit roles only on the actor's own unit's cases; liaison and deputy roles
// everywhere (the deputy's link names its case); never admin.
func (a Actor) RolesOn(dept int64) []Role {
	var out []Role
	for _, r := range a.Roles {
		switch {
		case r == RoleAdmin:
		case r.DepartmentScoped() && a.DepartmentID != dept:
		default:
			out = append(out, r)
		}
	}
	return out
}

// Deputy is a people's congress deputy (代表).
type Deputy struct {
	ID          int64
	Name        string
	Delegation  string
	Affiliation string
	Phone       string
	Email       string
}

// Proposal is a deputy's suggestion (建议) in a session.
type Proposal struct {
	ID          int64
	SessionID   int64
	Number      string
	Kind        ProposalKind
	Title       string
	Body        string
	SubmittedOn Date
	DeputyIDs   []int64 // the lead deputy first
	// Outcome is how it ended without a reply (撤回, 不作为建议处理); nil
	// while it is handled or replied to.
	Outcome *Outcome
}

// ReplyTitle is the published title of a reply to proposal number in a
// session with the given short name: 关于{session}第{number}号建议的答复.
func ReplyTitle(sessionShortName, number string) string {
	return fmt.Sprintf("关于%s第%s号建议的答复", sessionShortName, number)
}

// Case is one proposal assigned to one unit (交办): it carries the state.
type Case struct {
	ID           int64
	ProposalID   int64
	DepartmentID int64
	Kind         CaseKind
	State        State
	Round        int
	Version      int
	AssignedAt   time.Time
	ReplyDue     Date
	CoOpinionDue Date // co-handling cases only
	ReturnDue    Date
	RehandleDue  Date // set when a re-handling round opens
	// Provisional marks the due dates above that were counted without a
	// year's holiday data (暂定); they are recomputed when it arrives.
	Provisional      ProvisionalDues
	CoOpinionsWaived bool
	UpdatedAt        time.Time
}

// ProvisionalDues says which due dates of a case are provisional (暂定):
// counted Monday to Friday through a year the calendar has no holiday data
// for (see DueDate).
type ProvisionalDues struct {
	// Reply is the reply due date's flag; a date granted by an extension is
	// never provisional, since the liaison chose it.
	Reply     bool
	CoOpinion bool
	Return    bool
	Rehandle  bool
}

// Any reports whether any due date is provisional.
func (p ProvisionalDues) Any() bool { return p.Reply || p.CoOpinion || p.Return || p.Rehandle }

// ExtensionCap returns the latest date an extension of cs's reply may reach
// (延期上限): the reply-extended period from the day of assignment, or, in a
// re-handling round, that round's due date when it is later (the cap bounds
// the first round; a re-handling round has its own due date). Storage
// computes it when an extension is requested or decided, with the calendar
// of that moment, so a cap that reads next year is as exact as the data
// then allows, and provisional otherwise.
func (c *Calendar) ExtensionCap(rules RuleSet, cs *Case) (DueDate, error) {
	r, err := rules.Rule(RuleReplyExtended)
	if err != nil {
		return DueDate{}, err
	}
	limit, err := c.Due(r, DateOf(cs.AssignedAt))
	if err != nil {
		return DueDate{}, err
	}
	if cs.Round > 1 && limit.Date.Before(cs.RehandleDue) {
		limit = DueDate{Date: cs.RehandleDue, Provisional: cs.Provisional.Rehandle}
	}
	return limit, nil
}

// Section is one headed part of a reply, such as 一、工作开展情况.
type Section struct {
	Heading string `json:"heading"`
	Body    string `json:"body"`
}

// Draft is one saved version of a reply or co-opinion (答复稿).
type Draft struct {
	ID        int64
	CaseID    int64
	Round     int
	Version   int
	AuthorID  int64
	Sections  []Section
	CreatedAt time.Time
}

// Event is one entry of a case's audit log.
type Event struct {
	ID        int64
	CaseID    int64
	Seq       int
	Machine   string
	Action    string
	From      State
	To        State
	ActorID   int64
	ActorRole string
	At        time.Time
	Payload   map[string]any
	PrevHash  []byte
	Hash      []byte
}
