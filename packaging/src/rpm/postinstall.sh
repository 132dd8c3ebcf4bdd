# The spool (owner SlurmUser when a slurm user exists, see /usr/lib/tmpfiles.d/herald.conf) and /var/lib/herald.
if getent passwd slurm >/dev/null && [ ! -e /etc/tmpfiles.d/herald.conf ]; then
	sed "s|^\(d /var/spool/herald/mailprog[a-z/]* 2770\) root herald|\1 slurm herald|" \
		/usr/lib/tmpfiles.d/herald.conf >/etc/tmpfiles.d/herald.conf
fi
systemd-tmpfiles --create herald.conf || true
[ -d /run/systemd/system ] && systemctl daemon-reload || true
exit 0
