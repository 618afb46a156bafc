package ui

// settingsMessages are the texts of the user's notification settings page
// (settings.notify.*) and its link from the workbench's inbox.
var settingsMessages = map[string]map[string]string{
	LangZH: {
		"settings.notify.title":            "通知设置",
		"settings.notify.link":             "通知设置",
		"settings.notify.back":             "返回工作台",
		"settings.notify.intro":            "建议转到您手中时（待签收、待审核、待签发、退回修改、待审批等），系统会在站内通知中告诉您。您可以选择是否同时通过电子邮件接收这类交接通知。到期提醒和逾期通知始终通过电子邮件发送，不受此设置影响。",
		"settings.notify.email":            "您的电子邮件地址：%s",
		"settings.notify.noEmail":          "您没有登记电子邮件地址，只会收到站内通知。",
		"settings.notify.nowOn":            "当前设置：交接通知同时通过电子邮件发送。",
		"settings.notify.nowOff":           "当前设置：交接通知只在站内通知中显示，不发电子邮件。",
		"settings.notify.handoffEmail":     "交接通知同时通过电子邮件发送",
		"settings.notify.handoffEmailHint": "取消勾选后，交接通知只出现在站内通知中；单位群机器人不受影响。",
		"settings.notify.save":             "保存",
		"settings.notify.saved":            "通知设置已保存。",
		"input.field.handoff_email":        "交接通知邮件",
	},
	LangEN: {
		"settings.notify.title":            "Notification settings",
		"settings.notify.link":             "Notification settings",
		"settings.notify.back":             "Back to the workbench",
		"settings.notify.intro":            "When a suggestion comes to you (to accept, review, sign off, revise, decide…), banli tells you in your in-app notices. You can choose whether these hand-off notices also come by e-mail. Deadline reminders and overdue notices always come by e-mail, whatever you choose here.",
		"settings.notify.email":            "Your e-mail address: %s",
		"settings.notify.noEmail":          "You have no e-mail address on record: you get in-app notices only.",
		"settings.notify.nowOn":            "Now: hand-off notices also come by e-mail.",
		"settings.notify.nowOff":           "Now: hand-off notices come in-app only, not by e-mail.",
		"settings.notify.handoffEmail":     "Also send hand-off notices by e-mail",
		"settings.notify.handoffEmailHint": "Untick to get hand-off notices in-app only; your unit's group robot is not affected.",
		"settings.notify.save":             "Save",
		"settings.notify.saved":            "Your notification settings are saved.",
		"input.field.handoff_email":        "hand-off e-mail",
	},
}
