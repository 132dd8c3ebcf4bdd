# On erase (not upgrade: $1 is then 1) stop the services before their program goes away.
if [ "$1" = 0 ] && [ -d /run/systemd/system ]; then
	for unit in herald-mailprog-forward herald-telegram-bot herald-api herald-pipeline herald-serve; do
		systemctl stop "$unit.service" 2>/dev/null || true
	done
fi
exit 0
