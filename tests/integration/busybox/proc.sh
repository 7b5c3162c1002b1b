# /proc as processes see it: their own stat and status, the parent link, memory and uptime.
awk '{ print "stat:", $2, $3 }' /proc/self/stat
sh -c 'read pid comm state ppid rest < /proc/self/stat; [ "$ppid" = "$PPID" ] && echo "ppid in stat matches"'
grep -E '^(Name|State):' /proc/self/status | tr -s ' \t' ' '
awk '$1 == "MemTotal:" { print "MemTotal in", $3, ($2 > 0 ? "positive" : "zero") }' /proc/meminfo
awk '{ print "uptime fields:", NF, ($1 > 0 ? "positive" : "zero") }' /proc/uptime
[ -d /proc/1 ] && echo "/proc/1 exists"
[ "$(readlink /proc/self)" = "$(sh -c 'echo $$')" ] || echo "/proc/self is per process"
(cd /dev && readlink /proc/self/cwd)
readlink /proc/self/root
readlink /proc/self/fd/0
sh -c 'exec 5</proc/version; readlink /proc/$$/fd/5; wc -l < /proc/$$/fd/5'
