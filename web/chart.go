package web

import (
	"fmt"
	"html"
	"html/template"
	"strings"
	"time"

	"github.com/gongshi/gongshi/calendar"
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

// columnChart renders counts over time (a list's size at each year's end, reports filed
// each day) as vertical columns in inline SVG, labelling at most about twelve of them on
// the axis. It scales to the width it is given (CSS), and a table with the same numbers
// goes next to it.
func columnChart(title string, bars []bar) template.HTML {
	const plotH, labelH, top, colW, gap = 160, 34, 18, 24, 6
	max := 1
	for _, b := range bars {
		if b.Value > max {
			max = b.Value
		}
	}
	// The last label (the day asked, 2026-06-01) is centred on its column: room for its
	// right half, which the edge of the picture cut off.
	const labelRoom = 32
	w := len(bars)*(colW+gap) + gap + labelRoom
	every := (len(bars) + 11) / 12
	var sb strings.Builder
	fmt.Fprintf(&sb, `<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-label="%s" viewBox="0 0 %d %d" width="%d" height="%d" preserveAspectRatio="xMinYMin meet">`,
		html.EscapeString(title), w, top+plotH+labelH, w, top+plotH+labelH)
	fmt.Fprintf(&sb, `<title>%s</title>`, html.EscapeString(title))
	fmt.Fprintf(&sb, `<line x1="0" y1="%d" x2="%d" y2="%d" class="chart-axis"/>`, top+plotH, w, top+plotH)
	for i, b := range bars {
		x := gap + i*(colW+gap)
		h := b.Value * plotH / max
		fmt.Fprintf(&sb, `<rect x="%d" y="%d" width="%d" height="%d" class="chart-bar"><title>%s: %d</title></rect>`, x, top+plotH-h, colW, h, html.EscapeString(b.Label), b.Value)
		if b.Value > 0 && (len(bars) <= 40 || b.Value == max) {
			fmt.Fprintf(&sb, `<text x="%d" y="%d" text-anchor="middle" class="chart-value">%d</text>`, x+colW/2, top+plotH-h-4, b.Value)
		}
		if i%every == 0 || i == len(bars)-1 {
			fmt.Fprintf(&sb, `<text x="%d" y="%d" text-anchor="middle" class="chart-label">%s</text>`, x+colW/2, top+plotH+16, html.EscapeString(b.Label))
		}
	}
	sb.WriteString(`</svg>`)
	return template.HTML(sb.String()) // every interpolated string above is escaped
}

// span is a stretch of time on a timeline row (a listing: since → until); a zero To runs
// to the timeline's end.
type span struct {
	From, To calendar.Date
	Label    string
}

// timelineRow is one row of an enterprise's timeline: marks (publications) and spans.
type timelineRow struct {
	Label string
	Marks []span // From is the day; Label says what
	Spans []span
}

// timeline renders an enterprise's life from its establishment to today as inline SVG:
// one row per section, a mark for each publication, a bar for each time on a list; each
// mark and bar carries its own title for pointers and screen readers.
func timeline(title string, from, to calendar.Date, rows []timelineRow) template.HTML {
	const labelW, plotW, rowH, top, axisH = 150, 600, 30, 8, 26
	days := max(to.Sub(from), 1)
	xOf := func(d calendar.Date) int {
		n := d.Sub(from)
		n = min(max(n, 0), days)
		return labelW + n*plotW/days
	}
	h := top + len(rows)*rowH + axisH
	var sb strings.Builder
	fmt.Fprintf(&sb, `<svg xmlns="http://www.w3.org/2000/svg" class="chart timeline" role="img" aria-label="%s" viewBox="0 0 %d %d" width="%d" height="%d" preserveAspectRatio="xMinYMin meet">`,
		html.EscapeString(title), labelW+plotW+10, h, labelW+plotW+10, h)
	fmt.Fprintf(&sb, `<title>%s</title>`, html.EscapeString(title))
	for i, r := range rows {
		y := top + i*rowH
		fmt.Fprintf(&sb, `<text x="%d" y="%d" text-anchor="end" class="chart-label">%s</text>`, labelW-8, y+19, html.EscapeString(r.Label))
		fmt.Fprintf(&sb, `<line x1="%d" y1="%d" x2="%d" y2="%d" class="chart-grid"/>`, labelW, y+15, labelW+plotW, y+15)
		for _, s := range r.Spans {
			end := s.To
			if end.IsZero() {
				end = to
			}
			fmt.Fprintf(&sb, `<rect x="%d" y="%d" width="%d" height="12" class="chart-span"><title>%s</title></rect>`, xOf(s.From), y+9, max(xOf(end)-xOf(s.From), 2), html.EscapeString(s.Label))
		}
		for _, m := range r.Marks {
			fmt.Fprintf(&sb, `<circle cx="%d" cy="%d" r="5" class="chart-mark"><title>%s</title></circle>`, xOf(m.From), y+15, html.EscapeString(m.Label))
		}
	}
	ay := top + len(rows)*rowH
	fmt.Fprintf(&sb, `<line x1="%d" y1="%d" x2="%d" y2="%d" class="chart-axis"/>`, labelW, ay, labelW+plotW, ay)
	step := max((to.Year()-from.Year()+7)/8, 1)
	for y := from.Year() + 1; y <= to.Year(); y += step {
		x := xOf(calendar.MustDate(y, time.January, 1))
		fmt.Fprintf(&sb, `<line x1="%d" y1="%d" x2="%d" y2="%d" class="chart-axis"/><text x="%d" y="%d" text-anchor="middle" class="chart-label">%d</text>`, x, ay, x, ay+5, x, ay+18, y)
	}
	sb.WriteString(`</svg>`)
	return template.HTML(sb.String()) // every interpolated string above is escaped
}
