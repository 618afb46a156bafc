package ui

import "fmt"

// messages is the message catalogue: for each key, its text in each page
// language. It is built from catalogues, the one list of its parts. A key
// missing in English falls back to Chinese; a key missing altogether is
// shown as itself (a test keeps both languages complete).
var messages = merge(catalogues)

// catalogues are the parts of the message catalogue, one per part of the
// UI (i18n_<part>.go), so that a part keeps its texts together. A part of
// the UI with texts of its own adds its map here.
var catalogues = []map[string]map[string]string{
	commonMessages, adminMessages, caseMessages, inputMessages, supervisionMessages,
}

// commonMessages are the texts of the layout, the navigation, the home
// page, the error page and the public portal.
var commonMessages = map[string]map[string]string{
	LangZH: {
		"app.name":      "人大代表建议办理",
		"layout.skip":   "跳到正文",
		"layout.login":  "登录",
		"layout.logout": "退出登录",
		"layout.unread": "未读通知",
		"layout.lang":   "语言",
		"layout.footer": "人大代表建议办理系统 banli",

		"nav.label":       "主导航",
		"nav.workbench":   "工作台",
		"nav.supervision": "督办",
		"nav.admin":       "管理",
		"nav.public":      "公开答复",

		"common.print":  "打印",
		"common.search": "搜索",
		"common.all":    "全部",
		"common.reset":  "清除条件",

		"pager.label": "分页",
		"pager.prev":  "上一页",
		"pager.next":  "下一页",
		"pager.page":  "第 %d 页，共 %d 页",

		"home.title":  "工作台",
		"home.cases":  "可见案件",
		"home.state":  "状态",
		"home.count":  "件数",
		"home.none":   "暂无可见案件。",
		"home.roles":  "角色",
		"home.whoami": "当前用户",

		"error.back": "返回首页",

		"public.title":       "公开答复",
		"public.intro":       "各承办单位对人大代表建议的答复，依法主动公开。",
		"public.q":           "标题、答复内容或建议编号",
		"public.session":     "届次",
		"public.unit":        "承办单位",
		"public.results":     "共 %d 条",
		"public.resultsMore": "超过 %d 条，请缩小范围",
		"public.class":       "办理结果分类",
		"public.year":        "发布年份",
		"public.none":        "没有找到符合条件的答复。",
		"public.feed":        "订阅（Atom）",
		"public.backToList":  "返回公开答复列表",
		"public.listHeading": "答复列表",
	},
	LangEN: {
		"app.name":      "Deputies' suggestions",
		"layout.skip":   "Skip to content",
		"layout.login":  "Log in",
		"layout.logout": "Log out",
		"layout.unread": "Unread notices",
		"layout.lang":   "Language",
		"layout.footer": "banli — handling the suggestions of people's congress deputies",

		"nav.label":       "Main navigation",
		"nav.workbench":   "Workbench",
		"nav.supervision": "Supervision",
		"nav.admin":       "Administration",
		"nav.public":      "Published replies",

		"common.print":  "Print",
		"common.search": "Search",
		"common.all":    "All",
		"common.reset":  "Clear",

		"pager.label": "Pages",
		"pager.prev":  "Previous",
		"pager.next":  "Next",
		"pager.page":  "Page %d of %d",

		"home.title":  "Workbench",
		"home.cases":  "Cases you can see",
		"home.state":  "State",
		"home.count":  "Count",
		"home.none":   "No cases to show.",
		"home.roles":  "Roles",
		"home.whoami": "Logged in as",

		"error.back": "Back to the home page",

		"public.title":       "Published replies",
		"public.intro":       "The replies of the handling units to deputies' suggestions, published as the law requires.",
		"public.q":           "Title, reply text or number",
		"public.session":     "Session",
		"public.unit":        "Unit",
		"public.results":     "%d replies",
		"public.resultsMore": "more than %d replies: narrow the search",
		"public.class":       "Class",
		"public.year":        "Year published",
		"public.none":        "No reply matches.",
		"public.feed":        "Subscribe (Atom)",
		"public.backToList":  "Back to the published replies",
		"public.listHeading": "Replies",
	},
}

// Message returns the text of key in lang, formatted with args when there
// are any: lang's own text, else the Chinese one, else the key itself.
func Message(lang, key string, args ...any) string {
	msg, ok := messages[lang][key]
	if !ok {
		if msg, ok = messages[LangZH][key]; !ok {
			msg = key
		}
	}
	if len(args) > 0 {
		return fmt.Sprintf(msg, args...)
	}
	return msg
}
