package ui

// adminMessages are the texts of the administration log (管理日志) and the rules
// of administration: the log's pages, a user's history, and the refusals of
// a change.
var adminMessages = map[string]map[string]string{
	LangZH: {
		"adm.links.log":       "谁在何时授予、撤销了哪些角色，修改了哪些所属单位",
		"adm.log.title":       "管理日志",
		"adm.log.intro":       "每次授予或撤销角色、设置所属单位、停用或启用账号、添加单位，都在此留有记录，按时间倒序排列；记录不能修改或删除。",
		"adm.log.count.other": "共 %d 条记录",
		"adm.log.none":        "暂无记录。",

		"adm.log.by.user":   "系统管理员 %s",
		"adm.log.by.cli":    "命令行（%s）",
		"adm.log.by.login":  "统一身份认证平台（登录时同步）",
		"adm.log.by.system": "系统",
		"adm.log.inDept":    "%s（%s）",

		"adm.log.user_create":           "%[1]s 于 %[2]s 添加用户 %[3]s",
		"adm.log.role_grant":            "%[1]s 于 %[2]s 授予 %[3]s %[4]s",
		"adm.log.role_revoke":           "%[1]s 于 %[2]s 撤销 %[3]s 的角色 %[4]s",
		"adm.log.user_department":       "%[1]s 于 %[2]s 将 %[3]s 的所属单位由 %[5]s 改为 %[4]s",
		"adm.log.user_department_first": "%[1]s 于 %[2]s 将 %[3]s 的所属单位设为 %[4]s",
		"adm.log.user_disable":          "%[1]s 于 %[2]s 停用 %[3]s 的账号",
		"adm.log.user_enable":           "%[1]s 于 %[2]s 启用 %[3]s 的账号",
		"adm.log.department_create":     "%[1]s 于 %[2]s 添加单位 %[3]s",
		"adm.log.other":                 "%[1]s 于 %[2]s 修改了系统设置",

		"adm.user.title":   "用户 %s",
		"adm.user.back":    "返回用户列表",
		"adm.user.history": "管理记录",

		"adm.users.rules": "系统管理员账号不能同时担任承办人、审核人、签发人或督办人员；管理员不能修改自己的角色或所属单位，也不能停用自己。每次修改都记入管理日志。",
		"adm.users.self":  "本人账号：须由其他管理员修改。",

		"adm.rule.adminOnly":     "只有系统管理员可以管理用户和单位。",
		"adm.rule.noSelfChange":  "不能修改自己的角色或所属单位，请由其他管理员办理。",
		"adm.rule.noSelfDisable": "不能停用自己的账号，请由其他管理员办理。",
		"adm.rule.adminAlone":    "系统管理员账号不能同时担任承办人、审核人、签发人或督办人员。",
	},
	LangEN: {
		"adm.links.log":       "Who granted or revoked which role, and moved whom, when",
		"adm.log.title":       "Administration log",
		"adm.log.intro":       "Every role granted or revoked, unit set, account disabled or enabled and unit added is recorded here, newest first; records cannot be changed or removed.",
		"adm.log.count.one":   "%d record",
		"adm.log.count.other": "%d records",
		"adm.log.none":        "No records yet.",

		"adm.log.by.user":   "Administrator %s",
		"adm.log.by.cli":    "The command line (%s)",
		"adm.log.by.login":  "The identity provider (at login)",
		"adm.log.by.system": "banli",
		"adm.log.inDept":    "%s (%s)",

		"adm.log.user_create":           "%[1]s added the user %[3]s on %[2]s",
		"adm.log.role_grant":            "%[1]s granted %[3]s the role %[4]s on %[2]s",
		"adm.log.role_revoke":           "%[1]s revoked the role %[4]s of %[3]s on %[2]s",
		"adm.log.user_department":       "%[1]s moved %[3]s from %[5]s to %[4]s on %[2]s",
		"adm.log.user_department_first": "%[1]s put %[3]s in %[4]s on %[2]s",
		"adm.log.user_disable":          "%[1]s disabled the account of %[3]s on %[2]s",
		"adm.log.user_enable":           "%[1]s enabled the account of %[3]s on %[2]s",
		"adm.log.department_create":     "%[1]s added the unit %[3]s on %[2]s",
		"adm.log.other":                 "%[1]s changed a setting on %[2]s",

		"adm.user.title":   "User %s",
		"adm.user.back":    "Back to the users",
		"adm.user.history": "Administrative changes",

		"adm.users.rules": "An administrator account cannot also be a drafter, reviewer, approver or supervision officer; administrators cannot change their own roles or unit, nor disable themselves. Every change is recorded in the administration log.",
		"adm.users.self":  "Your own account: another administrator changes it.",

		"adm.rule.adminOnly":     "Only administrators manage users and units.",
		"adm.rule.noSelfChange":  "You cannot change your own roles or unit; ask another administrator.",
		"adm.rule.noSelfDisable": "You cannot disable your own account; ask another administrator.",
		"adm.rule.adminAlone":    "An administrator account cannot also be a drafter, reviewer, approver or supervision officer.",
	},
}
