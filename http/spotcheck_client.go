package http

import (
	"context"
	"net/url"

	"github.com/gongshi/gongshi"
)

// PlanDraw plans a draw (regulator).
func (c *Client) PlanDraw(ctx context.Context, in gongshi.DrawPlan) (*gongshi.Draw, error) {
	var out gongshi.Draw
	return &out, c.do(ctx, "POST", "/api/v1/draws", in, &out)
}

// RunDraw runs a planned draw (regulator).
func (c *Client) RunDraw(ctx context.Context, number string) (*gongshi.Draw, error) {
	var out gongshi.Draw
	return &out, c.do(ctx, "POST", "/api/v1/draws/"+url.PathEscape(number)+"/run", Empty{}, &out)
}

// Draw reads a draw.
func (c *Client) Draw(ctx context.Context, number string) (*gongshi.Draw, error) {
	var out gongshi.Draw
	return &out, c.do(ctx, "GET", "/api/v1/draws/"+url.PathEscape(number), nil, &out)
}

// DrawText reads a draw's "population", "roster" or "result" text.
func (c *Client) DrawText(ctx context.Context, number, which string) ([]byte, error) {
	var out []byte
	return out, c.do(ctx, "GET", "/api/v1/draws/"+url.PathEscape(number)+"/"+which, nil, &out)
}

// AddInspector puts a regulator account on the roster.
func (c *Client) AddInspector(ctx context.Context, account string) (*gongshi.InspectorEntry, error) {
	var out gongshi.InspectorEntry
	return &out, c.do(ctx, "POST", "/api/v1/inspectors", InspectorRequest{Account: account}, &out)
}

// RecordResult publishes a check's result.
func (c *Client) RecordResult(ctx context.Context, number string, in gongshi.CheckResult) (*gongshi.SpotCheckResult, error) {
	var out gongshi.SpotCheckResult
	return &out, c.do(ctx, "POST", "/api/v1/draws/"+url.PathEscape(number)+"/results", in, &out)
}

// FileCase files a report, an inquiry or a correction request.
func (c *Client) FileCase(ctx context.Context, in gongshi.CaseForm) (*gongshi.Case, error) {
	var out gongshi.Case
	return &out, c.do(ctx, "POST", "/api/v1/cases", in, &out)
}

// Case reads a case by number and check code (a regulator in scope may give "").
func (c *Client) Case(ctx context.Context, number, check string) (*gongshi.Case, error) {
	var out gongshi.Case
	return &out, c.do(ctx, "GET", "/api/v1/cases/"+url.PathEscape(number)+"?check="+url.QueryEscape(check), nil, &out)
}
