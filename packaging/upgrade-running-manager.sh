# Run by the packages' maintainer scripts on an upgrade, once the new files are in place, as
# `bash /usr/share/manage-procs/upgrade-running-manager.sh`: does to the system manager that is running
# (which still runs the code it started with) what `upgrade` in /etc/manage-procs/manager.toml says:
# "reexec" (the default) re-executes it with the new code, no unit stops; "restart-units" restarts the
# service with every unit; "none" leaves it. Never fails the upgrade: whatever goes wrong is said, and the
# old code keeps running. docs/upgrade.md of the source tree explains the choice.
mp=/usr/bin/manage-procs
keeps="the running manager keeps running the old code until its next restart"

# no system manager answers: nothing runs old code (a stopped or never started service)
timeout 60 "$mp" --system list >/dev/null 2>&1 || exit 0

if ! policy=$("$mp" --system config upgrade 2>&1); then
  echo "$policy" >&2
  echo "manage-procs: /etc/manage-procs/manager.toml has errors, so $keeps; fix it, then run 'manage-procs --system daemon-reexec'" >&2
  exit 0
fi
case $policy in
  reexec)
    # the command prints what it did, or why it could not in one sentence
    timeout 120 "$mp" --system daemon-reexec ||
      echo "manage-procs: $keeps; once the cause is fixed, 'manage-procs --system daemon-reexec' switches it without stopping any unit" >&2
    ;;
  restart-units)
    if [ -d /run/systemd/system ] && systemctl is-active --quiet manage-procs.service; then
      echo "manage-procs: restarting the manager and every unit (upgrade = \"restart-units\" in manager.toml)"
      systemctl try-restart manage-procs.service ||
        echo "manage-procs: the restart failed; 'systemctl status manage-procs' says why" >&2
    else
      echo "manage-procs: upgrade = \"restart-units\", but the running manager is not the systemd service, so $keeps" >&2
    fi
    ;;
  none)
    echo "manage-procs: $keeps (upgrade = \"none\" in manager.toml); 'manage-procs --system daemon-reexec' switches it without stopping any unit" >&2
    ;;
esac
exit 0
