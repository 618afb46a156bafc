package ui

// editorMessages are the texts of the draft editor's unsaved text (its
// working copy, restored and discarded), of the editor's script (editor.js:
// autosave, the limits it checks before sending; {n}, {count}, {size} and
// {time} are filled in by the script), of the page of a form sent after the
// login ended (expired.*), and of the layout's warning before a login ends
// (session.*: {minutes} and {time} are the script's); of the deputy's
// feedback link shown on the case page (copy, revoke).
var editorMessages = map[string]map[string]string{
	LangZH: {
		"draft.restored":        "已恢复未保存的内容",
		"draft.restoredAt":      "（自动保存于 %s）。保存后才会成为新版本。",
		"draft.restoredNewer":   "这些内容是在第%d版基础上修改的，此后已有第%d版：保存时请先比较差异。",
		"draft.restoredLocal":   "（保存在本机浏览器中）。保存后才会成为新版本。",
		"draft.discard":         "放弃未保存的内容",
		"draft.discardConfirm":  "放弃未保存的内容，恢复为最新版本？",
		"draft.js.bodyLimit":    "粘贴后第{n}节正文将有 {count} 字，超过每节 %d 字的上限，未粘贴。请分成几节粘贴。",
		"draft.js.requestLimit": "答复稿共 {size}，超过一次提交 %s 的上限，未提交。请删减内容，或分几次保存。",
		"draft.js.saved":        "已自动保存 {time}",
		"draft.js.failed":       "自动保存失败，内容暂存在本机浏览器中。",
		"draft.js.expired":      "登录已过期。您输入的内容已保存，重新登录后会自动恢复。",

		"flash.workingCopyDiscarded": "已放弃未保存的内容。",
		"flash.feedbackLinkRevoked":  "反馈链接已作废，代表无法再通过它填写意见。",

		"case.linkCopy":          "复制链接",
		"case.linkCopied":        "已复制",
		"case.linkRevoke":        "作废此链接",
		"case.linkRevokeConfirm": "作废后代表无法再通过此链接填写意见，确定作废？",

		"expired.heading":      "登录已过期",
		"expired.detail":       "您的登录已过期，刚才提交的内容没有保存。请重新登录。",
		"expired.keptForLater": "您输入的答复稿已保留：重新登录后，答复稿页面会恢复这些内容。",
		"expired.login":        "重新登录",

		"session.soon":   "您的登录将于 {time} 过期（约 {minutes} 分钟后）。编辑中的内容会自动保存。",
		"session.ended":  "您的登录已过期。编辑中的内容已保留，重新登录后恢复。",
		"session.extend": "继续使用",
		"session.login":  "重新登录",
	},
	LangEN: {
		"draft.restored":        "Unsaved text restored",
		"draft.restoredAt":      "(saved automatically at %s). It becomes a version when you save it.",
		"draft.restoredNewer":   "This text was edited from version %d; version %d has been saved since: compare them before saving.",
		"draft.restoredLocal":   "(kept in this browser). It becomes a version when you save it.",
		"draft.discard":         "Discard the unsaved text",
		"draft.discardConfirm":  "Discard the unsaved text and go back to the latest version?",
		"draft.js.bodyLimit":    "After this paste, the body of section {n} would have {count} characters, more than the limit of %d a section: nothing was pasted. Paste it into several sections.",
		"draft.js.requestLimit": "The draft comes to {size}, more than the %s a save may send: nothing was sent. Shorten it, or save it in several steps.",
		"draft.js.saved":        "Saved automatically at {time}",
		"draft.js.failed":       "Autosave failed; the text is kept in this browser for now.",
		"draft.js.expired":      "Your login has ended. What you typed is kept and comes back after you log in again.",

		"flash.workingCopyDiscarded": "The unsaved text was discarded.",
		"flash.feedbackLinkRevoked":  "The feedback link is revoked: the deputy can no longer use it.",

		"case.linkCopy":          "Copy the link",
		"case.linkCopied":        "Copied",
		"case.linkRevoke":        "Revoke this link",
		"case.linkRevokeConfirm": "Once revoked, the deputy can no longer give feedback through this link. Revoke it?",

		"expired.heading":      "Login ended",
		"expired.detail":       "Your login has ended, so what you just sent was not saved. Please log in again.",
		"expired.keptForLater": "Your draft is kept: after you log in again, the draft page shows it.",
		"expired.login":        "Log in again",

		"session.soon":   "Your login ends at {time} (in about {minutes} minutes). The draft you are editing is saved automatically.",
		"session.ended":  "Your login has ended. The text you were editing is kept and comes back after you log in again.",
		"session.extend": "Stay logged in",
		"session.login":  "Log in again",
	},
}
