package workflow

import "slices"

// MayLinkDeputy decides whether a user holding roles may issue or revoke
// the link to a deputy's own page (代表查询页), through which the deputy
// follows all their suggestions of a session without an account: only the
// liaison (督办), who is in contact with the deputies.
func MayLinkDeputy(roles []Role) error {
	if !slices.Contains(roles, RoleLiaison) {
		return Errorf(ErrForbidden, "只有督办人员可以生成或作废代表查询链接。")
	}
	return nil
}
