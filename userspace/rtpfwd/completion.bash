# bash completion for rtpfwd(8)
# SPDX-License-Identifier: GPL-2.0

_rtpfwd_flow_options()
{
	local mode=$1 used=" ${words[*]} " w out=()
	local opts="out peer source rtp rtcp pt timeout idle-delete tos clock-rate cookie"

	[[ $mode == add ]] && opts="local $opts owned"
	[[ $mode == set ]] && opts="$opts no-rtp no-rtcp no-idle-delete"
	# Each option is taken once.
	for w in $opts; do
		[[ $used == *" $w "* ]] || out+=("$w")
	done
	COMPREPLY=($(compgen -W "${out[*]}" -- "$cur"))
}

_rtpfwd()
{
	local cur prev words cword i cmd=""
	_init_completion || return

	# Skip the global options to find the command word.
	for ((i = 1; i < cword; i++)); do
		[[ ${words[i]} == -* ]] && continue
		cmd=${words[i]}
		break
	done

	if [[ -z $cmd ]]; then
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "-j --json -s --script -h --help -V --version" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "flow stats monitor" -- "$cur"))
		fi
		return
	fi
	[[ $cmd == flow ]] || return

	local sub=${words[i + 1]}
	if ((cword == i + 1)); then
		COMPREPLY=($(compgen -W "add set del show flush" -- "$cur"))
		return
	fi

	case $prev in
	local | out | peer | strict | expect)
		# Endpoints and addresses: nothing sensible to offer.
		return
		;;
	source)
		COMPREPLY=($(compgen -W "any learn strict" -- "$cur"))
		return
		;;
	pt | timeout | tos | clock-rate | cookie)
		return
		;;
	learn)
		_rtpfwd_flow_options "$sub"
		COMPREPLY+=($(compgen -W "expect" -- "$cur"))
		return
		;;
	esac
	# "only" may follow "expect ADDR".
	if [[ ${words[cword - 2]} == expect ]]; then
		_rtpfwd_flow_options "$sub"
		COMPREPLY+=($(compgen -W "only" -- "$cur"))
		return
	fi

	case $sub in
	add) _rtpfwd_flow_options add ;;
	set) ((cword > i + 2)) && _rtpfwd_flow_options set ;;
	del | show) ((cword == i + 2)) && COMPREPLY=($(compgen -W "local" -- "$cur")) ;;
	flush) ((cword == i + 2)) && COMPREPLY=($(compgen -W "cookie" -- "$cur")) ;;
	esac
} &&
	complete -F _rtpfwd rtpfwd
