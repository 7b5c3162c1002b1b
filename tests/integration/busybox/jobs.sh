# Background jobs, wait and exit statuses, kill. (The shell's own "Killed"-style notices go to stderr,
# at a moment that depends on timing: the parts that provoke them discard stderr.)
sleep 0.3 & first=$!
(sleep 0.1; exit 3) & second=$!
wait $second; echo "second exited $?"
wait $first; echo "first exited $?"
false & wait $!; echo "false in the background: $?"
( sleep 10 & victim=$!; kill $victim; wait $victim; echo "killed by TERM: $?" ) 2>/dev/null
( sleep 10 & victim=$!; kill -9 $victim; wait $victim; echo "killed by KILL: $?" ) 2>/dev/null
sh -c 'exit 42'; echo "sh -c exit 42: $?"
( sh -c 'kill -SEGV $$'; echo "killed by SEGV: $?" ) 2>/dev/null
{ for i in 1 2 3 4; do (echo "job $i") & done; wait; } | sort
[ $$ -gt 1 ] && [ $first -ne $second ] && echo "pids are distinct"
