package letter

import (
	"archive/zip"
	"bytes"
	"fmt"
	"time"

	"github.com/banli-gov/banli/workflow"
)

// Format is a file format a letter is rendered in.
type Format string

const (
	// FormatPDF is a PDF, fonts embedded.
	FormatPDF Format = "pdf"
	// FormatDOCX is an Office Open XML document for WPS and Word.
	FormatDOCX Format = "docx"
)

// ParseFormat reads "pdf" or "docx".
func ParseFormat(s string) (Format, error) {
	switch f := Format(s); f {
	case FormatPDF, FormatDOCX:
		return f, nil
	}
	return "", workflow.Errorf(workflow.ErrInvalid, "文件格式须为 pdf 或 docx（%q）", s)
}

// ContentType is the format's media type.
func (f Format) ContentType() string {
	if f == FormatDOCX {
		return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	}
	return "application/pdf"
}

// Render renders the letter in format f.
func (l *Letter) Render(f Format) ([]byte, error) {
	if f == FormatDOCX {
		return l.DOCX()
	}
	return l.PDF()
}

// Zip renders letters in format f into one ZIP archive, a file each named
// by the letter's FileName, dated modified.
func Zip(letters []*Letter, f Format, modified time.Time) ([]byte, error) {
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	seen := map[string]int{}
	for _, l := range letters {
		body, err := l.Render(f)
		if err != nil {
			return nil, err
		}
		name := l.FileName
		if seen[name]++; seen[name] > 1 {
			name = fmt.Sprintf("%s-%d", name, seen[name])
		}
		w, err := z.CreateHeader(&zip.FileHeader{Name: name + "." + string(f), Method: zip.Deflate, Modified: modified})
		if err != nil {
			return nil, fmt.Errorf("error writing letters archive: %w", err)
		}
		if _, err := w.Write(body); err != nil {
			return nil, fmt.Errorf("error writing letters archive: %w", err)
		}
	}
	if err := z.Close(); err != nil {
		return nil, fmt.Errorf("error writing letters archive: %w", err)
	}
	return b.Bytes(), nil
}
