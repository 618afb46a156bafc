package config

import (
	"fmt"
	"strconv"
)

// DefaultAttachmentMaxMB is the default size limit of one attachment, in
// MiB: a scanned letter of some pages, a few photos of a 面商.
const DefaultAttachmentMaxMB = 20

// maxAttachmentMaxMB bounds the setting: an attachment is held in memory
// while it is checked and stored.
const maxAttachmentMaxMB = 200

// loadAttachments reads BANLI_ATTACHMENT_MAX_MB (Config.AttachmentMaxBytes).
func loadAttachments(c *Config, get func(string) string) []error {
	c.AttachmentMaxBytes = DefaultAttachmentMaxMB << 20
	v := get("BANLI_ATTACHMENT_MAX_MB")
	if v == "" {
		return nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > maxAttachmentMaxMB {
		return []error{fmt.Errorf("BANLI_ATTACHMENT_MAX_MB: %q is not a whole number of MiB from 1 to %d", v, maxAttachmentMaxMB)}
	}
	c.AttachmentMaxBytes = int64(n) << 20
	return nil
}
