# Pipelines of several processes, exit status of a pipeline, large data through a pipe.
echo "one two three" | tr ' ' '\n' | sort -r | head -2
seq 1 1000 | wc -l
printf 'a\nb\nc\n' | sed 's/b/B/' | cat -n
yes tern | head -3
seq 1 20000 | md5sum | cut -c1-8
false | true; echo "status of false|true: $?"
true | false; echo "status of true|false: $?"
dd if=/dev/zero bs=1024 count=256 2>/dev/null | wc -c
