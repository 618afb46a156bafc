package web

import (
	"archive/zip"
	"bytes"
	"net/http"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The kinds of file an attachment may be, by content, never by the name a
// browser sent: what a clerk scans (PDF, JPEG, PNG), what an office
// writes (DOCX, XLSX without macros) and China's fixed-layout standard
// (OFD, GB/T 33190). The values are the stored content types.
const (
	typePDF  = "application/pdf"
	typeJPEG = "image/jpeg"
	typePNG  = "image/png"
	typeDOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	typeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	typeOFD  = "application/ofd"
)

// typeExt is the extension a download of each type is named with.
var typeExt = map[string]string{typePDF: ".pdf", typeJPEG: ".jpg", typePNG: ".png", typeDOCX: ".docx", typeXLSX: ".xlsx", typeOFD: ".ofd"}

// sniffRefusal is why a file's content is refused.
type sniffRefusal int

const (
	sniffOK sniffRefusal = iota
	// sniffUnknown: not one of the kinds above.
	sniffUnknown
	// sniffMacros: an Office file with macros (vbaProject.bin).
	sniffMacros
)

// sniffAttachment returns the type of content by what it is:
// http.DetectContentType for PDF, JPEG and PNG; for a ZIP archive, the
// parts an Office Open XML package or an OFD document must have
// ([Content_Types].xml with word/document.xml or xl/workbook.xml; OFD.xml),
// read from the archive's directory without inflating anything.
func sniffAttachment(content []byte) (string, sniffRefusal) {
	switch ct := http.DetectContentType(content); ct {
	case typePDF, typeJPEG, typePNG:
		return ct, sniffOK
	case "application/zip":
		return sniffZip(content)
	}
	return "", sniffUnknown
}

func sniffZip(content []byte) (string, sniffRefusal) {
	zr, err := zip.NewReader(bytes.NewReader(content), int64(len(content)))
	if err != nil {
		return "", sniffUnknown
	}
	has := map[string]bool{}
	macros := false
	for _, f := range zr.File {
		has[f.Name] = true
		if strings.HasSuffix(strings.ToLower(f.Name), "vbaproject.bin") {
			macros = true
		}
	}
	var ct string
	switch {
	case has["[Content_Types].xml"] && has["word/document.xml"]:
		ct = typeDOCX
	case has["[Content_Types].xml"] && has["xl/workbook.xml"]:
		ct = typeXLSX
	case has["OFD.xml"]:
		return typeOFD, sniffOK
	default:
		return "", sniffUnknown
	}
	if macros {
		return "", sniffMacros
	}
	return ct, sniffOK
}

// attachmentName is the name a file is listed and downloaded under: the
// last element of the name the browser sent (some send a whole Windows
// path), without control characters, at most 200 characters, and "附件"
// with the type's extension when nothing is left.
func attachmentName(sent, contentType string) string {
	sent = sent[strings.LastIndexAny(sent, `/\`)+1:]
	name := strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == utf8.RuneError {
			return -1
		}
		return r
	}, sent)
	name = strings.TrimSpace(name)
	if utf8.RuneCountInString(name) > 200 {
		ext := path.Ext(name)
		if utf8.RuneCountInString(ext) > 10 {
			ext = ""
		}
		name = string([]rune(name)[:200-utf8.RuneCountInString(ext)]) + ext
	}
	if name == "" || name == "." || name == ".." {
		name = "附件" + typeExt[contentType]
	}
	return name
}
