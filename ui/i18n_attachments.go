package ui

// attachmentMessages are the texts of files (附件) — the case page's list
// and upload form, refusals, the portal's list — and of the deputy's own
// page (代表查询页) and its link.
var attachmentMessages = map[string]map[string]string{
	LangZH: {
		"attach.title":               "附件",
		"attach.none":                "尚无附件。",
		"attach.of":                  "所属",
		"attach.file":                "文件",
		"attach.added":               "添加",
		"attach.size":                "大小",
		"attach.public":              "随答复公开",
		"attach.deleted":             "已删除：%s 于 %s 删除",
		"attach.delete":              "删除",
		"attach.deleteConfirm":       "确定删除这个附件吗？删除会记入办理过程，无法撤销。",
		"attach.add":                 "添加附件",
		"attach.owner":               "附在",
		"attach.choose":              "选择文件",
		"attach.hint":                "可上传 PDF、JPEG、PNG、Word（DOCX）、Excel（XLSX）或 OFD 文件，每个不超过 %s。",
		"attach.publicHint":          "勾选后，答复公开时此文件一并在公开答复页面显示（如盖章答复函的扫描件）。",
		"attach.submit":              "上传",
		"attach.owner.proposal":      "建议本身",
		"attach.owner.case":          "本办件",
		"attach.owner.communication": "面商记录 %s（%s）",
		"attach.owner.draft":         "答复稿第 %d 版",
		"attach.owner.reply":         "第 %d 轮答复",

		"attach.refused.owner":  "请选择附件所属的内容。",
		"attach.refused.public": "只有答复的附件可以随答复公开。",
		"attach.refused.none":   "请选择要上传的文件。",
		"attach.refused.many":   "一次只能上传一个文件。",
		"attach.refused.size":   "“%s”有 %s，超过了附件上限 %s。请压缩或分成几个文件后再上传。",
		"attach.refused.empty":  "“%s”是空文件，没有上传。",
		"attach.refused.type":   "“%s”不是可以上传的文件类型（按文件内容判断，而非文件名）。请上传 PDF、JPEG、PNG、Word（DOCX）、Excel（XLSX）或 OFD 文件。",
		"attach.refused.macros": "“%s”含有宏，不能上传。请另存为不含宏的 DOCX 或 XLSX 文件后再上传。",

		"flash.attached":          "附件已上传。",
		"flash.attachmentDeleted": "附件已删除，删除记录保留在附件列表和办理过程中。",

		"record.add_attachment":    "添加附件",
		"record.delete_attachment": "删除附件",
		"payload.filename":         "文件",

		"public.attachments": "附件",
	},
	LangEN: {
		"attach.title":               "Files",
		"attach.none":                "No files yet.",
		"attach.of":                  "Belongs to",
		"attach.file":                "File",
		"attach.added":               "Added",
		"attach.size":                "Size",
		"attach.public":              "Public with the reply",
		"attach.deleted":             "Deleted by %s on %s",
		"attach.delete":              "Delete",
		"attach.deleteConfirm":       "Delete this file? The deletion is recorded in the case's history and cannot be undone.",
		"attach.add":                 "Add a file",
		"attach.owner":               "Attach to",
		"attach.choose":              "File",
		"attach.hint":                "PDF, JPEG, PNG, Word (DOCX), Excel (XLSX) or OFD files, each at most %s.",
		"attach.publicHint":          "If ticked, the file is shown on the public page of the reply once it is published (the scanned stamped letter, say).",
		"attach.submit":              "Upload",
		"attach.owner.proposal":      "The suggestion itself",
		"attach.owner.case":          "This case",
		"attach.owner.communication": "Contact on %s (%s)",
		"attach.owner.draft":         "Draft version %d",
		"attach.owner.reply":         "Reply, round %d",

		"attach.refused.owner":  "Choose what the file belongs to.",
		"attach.refused.public": "Only a reply's file can be public with the reply.",
		"attach.refused.none":   "Choose a file to upload.",
		"attach.refused.many":   "Upload one file at a time.",
		"attach.refused.size":   "“%s” is %s, more than the limit of %s per file. Compress it or split it into several files.",
		"attach.refused.empty":  "“%s” is empty; it was not uploaded.",
		"attach.refused.type":   "“%s” is not a kind of file that can be uploaded (judged by its content, not its name). Upload a PDF, JPEG, PNG, Word (DOCX), Excel (XLSX) or OFD file.",
		"attach.refused.macros": "“%s” contains macros and cannot be uploaded. Save it as a DOCX or XLSX without macros and upload that.",

		"flash.attached":          "The file was uploaded.",
		"flash.attachmentDeleted": "The file was deleted; the deletion stays listed with the files and in the case's history.",

		"record.add_attachment":    "File added",
		"record.delete_attachment": "File deleted",
		"payload.filename":         "File",

		"public.attachments": "Files",
	},
}
