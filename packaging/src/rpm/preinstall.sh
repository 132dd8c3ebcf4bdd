# The herald system user, before the files that name it are unpacked.
getent group herald >/dev/null || groupadd --system herald
getent passwd herald >/dev/null || useradd --system --gid herald --home-dir /var/lib/herald \
	--no-create-home --shell /sbin/nologin --comment "Herald notification dispatcher" herald
exit 0
