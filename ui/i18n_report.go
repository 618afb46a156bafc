package ui

// reportMessages are the texts around the handling report (办理情况报告)
// the liaison downloads from the dashboard.
var reportMessages = map[string]map[string]string{
	LangZH: {
		"report.link":        "办理情况报告（DOCX）",
		"report.err.scope":   "办理情况报告按会议生成，请先选择一次会议，而不是年度。",
		"report.err.noneYet": "还没有任何会议，无法生成办理情况报告。",
	},
	LangEN: {
		"report.link":        "Handling report (DOCX)",
		"report.err.scope":   "The handling report is made for a congress session: choose a session rather than a year.",
		"report.err.noneYet": "There is no congress session yet, so there is no handling report to make.",
	},
}
