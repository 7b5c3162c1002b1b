#! /bin/interp-link  -x  
