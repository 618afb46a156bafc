// Package report writes the liaison office's annual handling report
// (代表建议办理情况报告) of a congress session as a .docx draft for the
// liaison to finish in WPS or Word: the totals and rates in words, the
// shares of the reply classes, a table of every unit's figures, the key
// suggestions (重点建议) and their progress, the suggestions withdrawn (撤回)
// or not handled as suggestions (不作为建议处理), and a section left for the
// liaison to write.
//
// Every number is read from storage.Statistics, the counts behind the
// dashboard (督办统计) and its downloads, and every rate is a
// workflow.Figure of them, formatted as the dashboard formats it
// (workflow.Rate.Percent): the report never counts anything itself.
package report
