#!/script3.sh
