package ui

// wordsMessages are the texts of the name the supervising role goes by
// (督办人员 by default; 人大代表工作机构, 政府督查室, …), set on the
// administrator's page and recorded in the administration log.
var wordsMessages = map[string]map[string]string{
	LangZH: {
		"adm.supervisor.title": "督办角色的称谓",
		"adm.supervisor.label": "称谓",
		"adm.supervisor.hint":  "页面上凡称呼督办角色之处都使用这一称谓，如“%[2]s”“%[3]s”；未设置时为“%[1]s”。“%[4]s”指承办单位的联络人员，不能使用。每次修改记入管理日志。",
		"adm.supervisor.save":  "保存称谓",

		"notice.supervisorLabelSet": "称谓已保存，各页面即按新称谓显示。",
		"adm.log.supervisor_label":  "%[1]s 于 %[2]s 将督办角色的称谓设为 %[3]s（原为 %[4]s）",

		"refusal.supervisor_label":         "称谓须为2至20个字的中文名称，如“人大代表工作机构”或“政府督查室”。",
		"refusal.supervisor_label.contact": "“联络员”指承办单位的联络人员，不能作为督办角色的称谓。",
	},
	LangEN: {
		"adm.supervisor.title": "Name of the supervising role",
		"adm.supervisor.label": "Name",
		"adm.supervisor.hint":  "Chinese pages call the supervising role by this name wherever they name it, e.g. %[2]s or %[3]s; without one it is %[1]s. %[4]s means a unit's own contact person and cannot be used. Every change is recorded in the administration log.",
		"adm.supervisor.save":  "Save the name",

		"notice.supervisorLabelSet": "The name is saved; the pages use it from now on.",
		"adm.log.supervisor_label":  "%[1]s named the supervising role %[3]s (was %[4]s) on %[2]s",

		"refusal.supervisor_label":         "The name must be a Chinese name of 2 to 20 characters, such as the office's own name.",
		"refusal.supervisor_label.contact": "That word means a unit's own contact person (liaison): it cannot name the supervising role.",
	},
}
