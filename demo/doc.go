// Package demo fills a gongshi register with realistic, deterministic demo data: enterprises
// named as Chinese enterprises are (上海杰图天下网络科技有限公司, 杭州市西湖区小王面馆,
// 平阳县绿源果蔬专业合作社), spread over the provinces by economic weight, with valid codes,
// legal representatives, capital, addresses, shareholders and key personnel, and a history of
// records of every kind published at realistic times: most within the 20 working days of
// Art. 6, 7 and 10, some late, a few corrected (Art. 12).
//
// # How history is written
//
// A record version's publication instant is Tx.Now, which comes from the store's clock. The
// caller therefore builds the store and the service on a *Clock and hands it to Generate, which
// plans every enterprise's life, sorts the events by publication day and feeds them day by day:
// it sets the clock to a time on that day and writes the day's events in batches through
// Service.RegisterTx, PublishTx and AmendTx inside Store.Write.
//
// Nothing is published before the regulation came into force (Launch, 1 Oct 2014): an
// enterprise established earlier is registered in the weeks after Launch with arose = Launch,
// its state as of that day (changes before it are folded in; its established date is kept),
// and only what arose from Launch on becomes records.
//
// # Determinism and memory
//
// Everything about enterprise i is a pure function of (Options.Seed, i): its plan is
// regenerated whenever one of its events is written, so memory holds only an 8-byte reference
// per planned event and the ids of records that will get a later version. Record ids and
// salts come from the store and are not deterministic; the bodies are.
//
// Liaison accounts are not created: records an enterprise discloses are published by an
// in-memory enterprise account whose id is "liaison-" followed by the USCC.
package demo
