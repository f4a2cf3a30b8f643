package web

import (
	"fmt"
	"html"
	"html/template"
	"strings"
)

// bar is one bar of a chart: a label (a day, a district) and a count.
type bar struct {
	Label string
	Value int
}

// barChart renders a horizontal bar chart as inline SVG, drawn on the server so that no
// chart library is loaded. Labels are escaped; the chart has a title and a text
// alternative for screen readers, and a table with the same numbers goes next to it.
func barChart(title string, bars []bar) template.HTML {
	const rowH, labelW, barW, pad = 22, 150, 380, 8
	max := 1
	for _, b := range bars {
		if b.Value > max {
			max = b.Value
		}
	}
	h := len(bars)*rowH + 2*pad
	var sb strings.Builder
	fmt.Fprintf(&sb, `<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-label="%s" viewBox="0 0 %d %d" width="%d" height="%d">`,
		html.EscapeString(title), labelW+barW+80, h, labelW+barW+80, h)
	fmt.Fprintf(&sb, `<title>%s</title>`, html.EscapeString(title))
	for i, b := range bars {
		y := pad + i*rowH
		w := b.Value * barW / max
		fmt.Fprintf(&sb, `<text x="%d" y="%d" text-anchor="end" class="chart-label">%s</text>`, labelW-6, y+15, html.EscapeString(b.Label))
		fmt.Fprintf(&sb, `<rect x="%d" y="%d" width="%d" height="%d" class="chart-bar"/>`, labelW, y+3, w, rowH-6)
		fmt.Fprintf(&sb, `<text x="%d" y="%d" class="chart-value">%d</text>`, labelW+w+6, y+15, b.Value)
	}
	sb.WriteString(`</svg>`)
	return template.HTML(sb.String()) // every interpolated string above is escaped
}
