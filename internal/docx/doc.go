// Package docx writes Office Open XML word-processing documents (.docx) that
// WPS and Word open and edit: paragraphs of runs with East Asian fonts and
// sizes, simple tables, an A4 page with the margins of GB/T 9704 (党政机关
// 公文格式). It carries no template and no dependency beyond the standard
// library: a document is a value (Document) written with Write, and
// Paragraphs reads the text back, paragraph by paragraph.
//
// Sizes are given in the names Chinese offices use (二号, 三号…); fonts by
// their Chinese names, which WPS and Word resolve on the reader's machine
// (方正小标宋简体 for titles, 仿宋_GB2312 for the body, 黑体 for headings).
package docx
