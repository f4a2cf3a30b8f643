package http

import (
	"context"
	"fmt"
	"net/url"

	"github.com/gongshi/gongshi"
)

// FileAnnualReport files an annual report (enterprise token, or a regulator's for an
// individual business's paper report). It answers the published first version.
func (c *Client) FileAnnualReport(ctx context.Context, code string, in gongshi.AnnualReportFiling) (*gongshi.Version, error) {
	var out gongshi.Version
	return &out, c.do(ctx, "POST", "/api/v1/enterprises/"+url.PathEscape(code)+"/annual-reports", in, &out)
}

// AnnualReport returns an enterprise's report of a year as the caller may see it.
func (c *Client) AnnualReport(ctx context.Context, code string, year int) (*gongshi.AnnualReport, error) {
	var out gongshi.AnnualReport
	return &out, c.do(ctx, "GET", fmt.Sprintf("/api/v1/enterprises/%s/annual-reports/%d", url.PathEscape(code), year), nil, &out)
}

// CorrectAnnualReport publishes a correction of a filed report.
func (c *Client) CorrectAnnualReport(ctx context.Context, code string, year int, in gongshi.Amendment) (*gongshi.Version, error) {
	var out gongshi.Version
	return &out, c.do(ctx, "POST", fmt.Sprintf("/api/v1/enterprises/%s/annual-reports/%d/corrections", url.PathEscape(code), year), in, &out)
}

// IssueOrder orders an enterprise to disclose an item (regulator token).
func (c *Client) IssueOrder(ctx context.Context, code string, in gongshi.OrderInput) (*OrderIssued, error) {
	var out OrderIssued
	return &out, c.do(ctx, "POST", "/api/v1/enterprises/"+url.PathEscape(code)+"/orders", in, &out)
}

// Obligations returns what an enterprise owes as of a date ("" for today).
func (c *Client) Obligations(ctx context.Context, code, asOf string) (*gongshi.Obligations, error) {
	var out gongshi.Obligations
	p := "/api/v1/enterprises/" + url.PathEscape(code) + "/obligations"
	if asOf != "" {
		p += "?as_of=" + url.QueryEscape(asOf)
	}
	return &out, c.do(ctx, "GET", p, nil, &out)
}

// GrantConsent gives consent to non-public items (enterprise token).
func (c *Client) GrantConsent(ctx context.Context, in gongshi.ConsentGrant) (*gongshi.Consent, error) {
	var out gongshi.Consent
	return &out, c.do(ctx, "POST", "/api/v1/consents", in, &out)
}

// RevokeConsent revokes a consent (enterprise token).
func (c *Client) RevokeConsent(ctx context.Context, id string) (*gongshi.Consent, error) {
	var out gongshi.Consent
	return &out, c.do(ctx, "DELETE", "/api/v1/consents/"+url.PathEscape(id), nil, &out)
}

// ConsentViews lists the views made under the enterprise's consents (enterprise token).
func (c *Client) ConsentViews(ctx context.Context) (*ConsentViewList, error) {
	var out ConsentViewList
	return &out, c.do(ctx, "GET", "/api/v1/consent-views", nil, &out)
}
