package web

import (
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Building is the progress of a register being filled before it serves (serve --demo on
// an empty data folder): the stage, how far it is, and since when.
type Building struct {
	mu           sync.Mutex
	stage, unit  string
	done, total  int
	started, now time.Time
}

// NewBuilding starts reporting a build.
func NewBuilding() *Building { return &Building{started: time.Now()} }

// Update reports done of total units of a stage; it suits a progress callback.
func (b *Building) Update(stage, unit string, done, total int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.stage, b.unit, b.done, b.total, b.now = stage, unit, done, total, time.Now()
}

// buildingStages name the stages of a build in both languages.
var buildingStages = map[string][2]string{
	"demo":   {"写入演示企业及其历史记录", "Writing the demo enterprises and their history"},
	"pages":  {"生成各企业的公示页面", "Making each enterprise's public page"},
	"sweeps": {"按年执行名录规则（列入、预警、移出）", "Sweeping the lists year by year"},
}

// Handler answers while the register is being built: the front page shows the progress
// and reloads itself every two seconds; every other page and the API answer 503 with
// Retry-After; the style sheet is served.
func (b *Building) Handler() http.Handler {
	static, _ := fs.Sub(staticFS, "static")
	files := http.StripPrefix("/static/", http.FileServerFS(static))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/static/") {
			files.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Retry-After", "5")
		w.Header().Set("Cache-Control", "no-store")
		if strings.HasPrefix(r.URL.Path, "/api/") || strings.HasPrefix(r.URL.Path, "/log/") {
			w.Header().Set("Content-Type", "application/problem+json")
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprint(w, `{"type":"urn:gongshi:problem:unavailable","title":"Service Unavailable","status":503,"detail":"the demo register is being built","fix":"try again in a few seconds"}`)
			return
		}
		status := http.StatusOK
		if r.URL.Path != "/" {
			status = http.StatusServiceUnavailable
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(status)
		buildingPage.Execute(w, b.view())
	})
}

type buildingView struct {
	StageZH, StageEN string
	Done, Total, Pct int
	Unit             string
	Elapsed          string
}

func (b *Building) view() buildingView {
	b.mu.Lock()
	defer b.mu.Unlock()
	v := buildingView{Done: b.done, Total: b.total, Unit: b.unit, Elapsed: time.Since(b.started).Round(time.Second).String()}
	if s, ok := buildingStages[b.stage]; ok {
		v.StageZH, v.StageEN = s[0], s[1]
	} else {
		v.StageZH, v.StageEN = "准备中", "Starting"
	}
	if b.total > 0 {
		v.Pct = 100 * b.done / b.total
	}
	return v
}

var buildingPage = template.Must(template.New("building").Parse(`<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="2">
<title>正在生成演示数据 · 企业信用信息公示系统</title>
<link rel="stylesheet" href="/static/style.css">
</head>
<body>
<header class="top"><div class="wrap bar"><span class="brand">企业信用信息公示系统</span></div></header>
<main id="main"><div class="wrap">
<h1>正在生成演示数据</h1>
<p>系统首次启动，正在写入演示企业及其历史记录；完成后本页自动转为查询首页。</p>
<p><strong>{{.StageZH}}</strong>：{{.Done}} / {{.Total}}（{{.Pct}}%），已用时 {{.Elapsed}}</p>
<progress id="build-progress" max="100" value="{{.Pct}}" aria-label="生成进度">{{.Pct}}%</progress>
<p lang="en" class="muted">Building the demo register on first start: {{.StageEN}}, {{.Done}} of {{.Total}} {{.Unit}} ({{.Pct}}%), {{.Elapsed}} so far. This page becomes the search page when it is done.</p>
</div></main>
</body>
</html>
`))
