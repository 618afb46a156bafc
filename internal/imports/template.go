package imports

import (
	"fmt"

	"github.com/xuri/excelize/v2"
)

// Template returns an empty XLSX of the kind ("proposals": an assignment
// list; "deputies": a roster) with its header and one example row.
func Template(kind string) ([]byte, error) {
	var cols []column
	var example []any
	sheet := "交办清单"
	switch kind {
	case "proposals":
		cols = ProposalColumns
		example = []any{"20240001", "关于加强老旧小区加装电梯工作的建议", "建议内容……", "张三", "李四、王五",
			"武昌区代表团", "建议", "武汉市住房和城市更新局", "武汉市财政局、武汉市自然资源和城乡建设局", "", "2024-03-15", "否"}
	case "deputies":
		cols, sheet = DeputyColumns, "代表名册"
		example = []any{"张三", "武昌区代表团", "武汉市某某公司总经理", "13800000000", "zhangsan@example.org"}
	default:
		return nil, fmt.Errorf("unknown template %q", kind)
	}
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, fmt.Errorf("error making the template: %w", err)
	}
	header := make([]any, len(cols))
	for i, c := range cols {
		header[i] = c.Header
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return nil, fmt.Errorf("error making the template: %w", err)
	}
	text, err := f.NewStyle(&excelize.Style{NumFmt: 49}) // "@": numbers stay text
	if err != nil {
		return nil, fmt.Errorf("error making the template: %w", err)
	}
	last, _ := excelize.ColumnNumberToName(len(cols))
	for _, err := range []error{
		f.SetSheetRow(sheet, "A1", &header),
		f.SetSheetRow(sheet, "A2", &example),
		f.SetRowStyle(sheet, 1, 1, bold),
		f.SetColStyle(sheet, "A:"+last, text),
		f.SetColWidth(sheet, "A", last, 18),
	} {
		if err != nil {
			return nil, fmt.Errorf("error making the template: %w", err)
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, fmt.Errorf("error making the template: %w", err)
	}
	return buf.Bytes(), nil
}

// ProposalHeaders lists the headers of an assignment list, in the
// template's order.
func ProposalHeaders() []string { return headers(ProposalColumns) }

// DeputyHeaders lists the headers of a roster, in the template's order.
func DeputyHeaders() []string { return headers(DeputyColumns) }

func headers(cols []column) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.Header
	}
	return out
}
