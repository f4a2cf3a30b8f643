package sqlstore

// RevokeToken deletes a bearer token by its hash, so that a web session ends when its
// holder logs out. Revoking an unknown token is not an error.
func (t *tx) RevokeToken(tokenHash string) error {
	_, err := t.exec(`DELETE FROM tokens WHERE hash = ?`, tokenHash)
	return err
}
