/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internal interface between the /dev/liveupdate device and the sessions of the
 * Live Update Orchestrator test module.
 */
#ifndef _LUO_INTERNAL_H
#define _LUO_INTERNAL_H

#include <linux/types.h>

#include "liveupdate_ioctl.h"

struct luo_session;

int luo_session_check_name(const u8 *name);
struct luo_session *luo_session_create(const u8 *name);
struct luo_session *luo_session_get_by_name(const u8 *name);
int luo_session_install(struct luogen_ucmd *ucmd,
			struct luo_session *session, __s32 *fd,
			size_t cmd_len);

#endif /* _LUO_INTERNAL_H */
