package http

// SetFeedHubKeep bounds the entries the live feed's hub holds (feedhub.go), so that a test
// can put followers behind it. Call it before anyone follows.
func (s *Server) SetFeedHubKeep(entries int64) {
	s.once.Do(s.build)
	s.feed.keep = entries
}
