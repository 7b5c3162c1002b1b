# trap in the shell, signals between processes, and exit statuses of signalled children.
trap 'echo "trapped USR1"' USR1
kill -USR1 $$
echo "after USR1"
sh -c 'trap "echo child got TERM; exit 7" TERM; kill -TERM $$; sleep 1'; echo "child status: $?"
sh -c 'trap "" INT; kill -INT $$; echo "INT ignored"'
( sleep 5 & s=$!; (sleep 0.2; kill -HUP $s) & wait $s; echo "HUP status: $?"; wait ) 2>/dev/null
trap - USR1
