package ui

import (
	"fmt"
	"maps"
	"slices"
)

// messages is the message catalogue: for each key, its text in each page
// language. It is built from catalogues, the one list of its parts. A key
// missing in English falls back to Chinese; a key missing altogether is
// shown as itself (a test keeps both languages complete).
var messages = merge(catalogues)

// catalogues are the parts of the message catalogue, one per part of the
// UI (i18n_<part>.go), so that a part keeps its texts together. A part of
// the UI with texts of its own adds its map here.
var catalogues = []map[string]map[string]string{
	commonMessages, adminMessages, caseMessages, inputMessages, settingsMessages, supervisionMessages, editorMessages,
	queueMessages, wordsMessages, importMessages, keyMergeMessages, attachmentMessages, letterMessages,
	discloseMessages,
	exportMessages,
	reportMessages,
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

		"common.print":   "打印",
		"common.search":  "搜索",
		"common.all":     "全部",
		"common.reset":   "清除条件",
		"common.listSep": "、",
		"common.paren":   "（%s）",
		"common.colon":   "：",

		"pager.label": "分页",
		"pager.prev":  "上一页",
		"pager.next":  "下一页",
		"pager.page":  "第 %d 页，共 %d 页",

		"home.title":  "工作台",
		"home.cases":  "可见建议",
		"home.state":  "状态",
		"home.count":  "件数",
		"home.none":   "暂无可见的建议。",
		"home.roles":  "角色",
		"home.whoami": "当前用户",

		"error.back":        "返回首页",
		"error.heading.400": "400 请求有误",
		"error.heading.403": "403 无权访问",
		"error.heading.404": "404 没有找到",
		"error.heading.409": "409 操作冲突",
		"error.heading.500": "500 系统内部错误",

		"public.title":         "公开答复",
		"public.intro":         "各承办单位对人大代表建议的答复，按签发时确定的公开属性发布：主动公开的发布全文，摘要公开的只发布摘要，依法不予公开的内容不发布。",
		"public.q":             "标题、答复内容或建议编号",
		"public.session":       "届次",
		"public.unit":          "承办单位",
		"public.results.other": "共 %d 条",
		"public.none":          "没有找到符合条件的答复。",
		"public.feed":          "订阅（Atom）",
		"public.backToList":    "返回公开答复列表",
		"public.listHeading":   "答复列表",
		"public.notFound":      "没有这份公开答复。",
		"public.resultsMore":   "超过 %d 条，请缩小范围",
		"public.class":         "办理结果分类",
		"public.year":          "发布年份",
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

		"common.print":   "Print",
		"common.search":  "Search",
		"common.all":     "All",
		"common.reset":   "Clear",
		"common.listSep": ", ",
		"common.paren":   " (%s)",
		"common.colon":   ": ",

		"pager.label": "Pages",
		"pager.prev":  "Previous",
		"pager.next":  "Next",
		"pager.page":  "Page %d of %d",

		"home.title":  "Workbench",
		"home.cases":  "Suggestions you can see",
		"home.state":  "State",
		"home.count":  "Count",
		"home.none":   "No suggestions to show.",
		"home.roles":  "Roles",
		"home.whoami": "Logged in as",

		"error.back":        "Back to the home page",
		"error.heading.400": "400 Bad request",
		"error.heading.403": "403 Not allowed",
		"error.heading.404": "404 Not found",
		"error.heading.409": "409 Conflict",
		"error.heading.500": "500 Internal error",

		"public.title":         "Published replies",
		"public.intro":         "The replies of the handling units to deputies' suggestions, published as decided at sign-off: in full, as a summary only, and never what the law keeps from the public.",
		"public.q":             "Title, reply text or number",
		"public.session":       "Session",
		"public.unit":          "Unit",
		"public.results.one":   "%d reply",
		"public.results.other": "%d replies",
		"public.none":          "No reply matches.",
		"public.feed":          "Subscribe (Atom)",
		"public.backToList":    "Back to the published replies",
		"public.listHeading":   "Replies",
		"public.notFound":      "There is no such published reply.",
		"public.resultsMore":   "more than %d replies: narrow the search",
		"public.class":         "Class",
		"public.year":          "Year published",
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

// MessageN returns the form of the plural message key for the count n in
// lang, formatted with n as its first argument and then args: key+".one"
// when lang is English and n is 1, key+".other" otherwise (Chinese has one
// form). A plural message has both forms in English and ".other" in
// Chinese (TestCatalogueIsComplete).
func MessageN(lang, key string, n int, args ...any) string {
	form := key + ".other"
	if n == 1 {
		if _, ok := messages[lang][key+".one"]; ok {
			form = key + ".one"
		}
	}
	return Message(lang, form, append([]any{n}, args...)...)
}

// IsPlural reports whether key is a plural message, to be shown with
// MessageN.
func IsPlural(key string) bool {
	_, ok := messages[LangEN][key+".one"]
	return ok
}

// Keys lists every key of the catalogue, the forms of plural messages
// included, sorted.
func Keys() []string {
	set := map[string]bool{}
	for _, lang := range Langs() {
		for k := range messages[lang] {
			set[k] = true
		}
	}
	return slices.Sorted(maps.Keys(set))
}
