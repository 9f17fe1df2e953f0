// SPDX-License-Identifier: GPL-2.0
/*
 * The flows of one media change go in all or none, whatever the backend:
 * a call must not run with half its media relayed. rtpfwd.ko takes them in
 * one FLOW_NEW_MANY request (offload.c); a backend without add_many gets
 * them one at a time here, and those made before a failure are deleted.
 */
#include "media_backend.h"

/**
 * media_fwd_add_each() - add flows one at a time, all or none
 * @b: the backend
 * @nf: the flows; their ids are set on success
 * @n: how many
 *
 * Return: 0, or the first failure's negative errno with no flow of @nf
 * left. The backend's errmsg() still explains that failure when the
 * deletions succeed.
 */
int media_fwd_add_each(struct media_fwd *b, struct media_fwd_new *nf, size_t n)
{
	size_t i;
	int ret = 0;

	for (i = 0; i < n; i++) {
		ret = b->ops->add(b, nf[i].flow, nf[i].in_fd, nf[i].out_fd, &nf[i].id);
		if (ret)
			goto err_del;
	}
	return 0;

err_del:
	while (i--) {
		b->ops->del(b, nf[i].id);
		nf[i].id = 0;
	}
	return ret;
}

/**
 * media_fwd_add() - add the flows of one media change, all or none
 * @b: the backend
 * @nf: 1 to MEDIA_FWD_NEW_MAX flows; their ids are set on success
 * @n: how many
 *
 * Return: 0, or a negative errno with none of the flows made.
 */
int media_fwd_add(struct media_fwd *b, struct media_fwd_new *nf, size_t n)
{
	if (b->ops->add_many)
		return b->ops->add_many(b, nf, n);
	return media_fwd_add_each(b, nf, n);
}
