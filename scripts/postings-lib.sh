# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# The split of the series into postings.  Sourced after lib.sh, never
# executed.  The data is in postings/: 'map' says which posting each
# patch goes to, '<n>-<tree>-<topic>.cover' says what a posting is (its
# tree, cover subject, the postings it depends on, its cover text).
# Nothing here knows today's patches: a new patch needs a rule in the
# map (or matches an existing one), a new posting needs a .cover file.

PDIR=$TOP/postings
POSTING_MAX=${POSTING_MAX:-15}	# netdev's limit, and the GUIDE's

# The patch's subject without "[PATCH]", unfolded.
pl_subject() {
	git mailinfo /dev/null /dev/null < "$1" 2>/dev/null | sed -n 's/^Subject: //p'
}

# Whether the commit message (above the first '---') has a Fixes: tag.
pl_has_fixes() {
	sed -n '/^---$/q; p' "$1" | grep -q '^Fixes: [0-9a-f]\{12\}'
}

# pl_posting_of PATCHFILE: the posting the first matching rule of the map
# names, or nothing.
pl_posting_of() {
	local f=$1 subj fixes=0 name kind pat
	subj=$(pl_subject "$f")
	pl_has_fixes "$f" && fixes=1
	while read -r name kind pat; do
		case "$name" in ''|'#'*) continue ;; esac
		[ "$kind" = fixes ] && [ $fixes = 0 ] && continue
		# shellcheck disable=SC2053
		if [[ $subj == $pat ]]; then
			echo "$name"
			return 0
		fi
	done < "$PDIR/map"
}

# The postings, in send order (by their number).
pl_postings() {
	local f
	for f in "$PDIR"/*.cover; do
		[ -f "$f" ] || continue
		f=${f##*/}
		echo "${f%.cover}"
	done | sort -t- -k1,1n
}

# pl_header NAME FIELD: a header of postings/NAME.cover (the lines
# before the first blank line, "Field: value").
pl_header() {
	awk -v k="$2" 'NF == 0 { exit } index($0, k ":") == 1 {
		sub("^[^:]*:[ \t]*", ""); print; exit }' "$PDIR/$1.cover"
}

# The cover text: what follows the headers.
pl_body() {
	awk 'body { print } NF == 0 { body = 1 }' "$PDIR/$1.cover"
}

pl_num() { echo "${1%%-*}"; }

# pl_assign [PATCHDIR]: read the series and the map into
#   PL_SERIES     the patch files in series order
#   PL_OF[p]      the posting of patch p ("" when no rule matches)
#   PL_OF_NAME[x] the patches of posting x, in series order
PATCHDIR=$TOP/patches
pl_assign() {
	local p n
	PATCHDIR=${1:-$TOP/patches}
	declare -gA PL_OF=() PL_OF_NAME=()
	mapfile -t PL_SERIES < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$PATCHDIR/series")
	for n in $(pl_postings); do
		PL_OF_NAME[$n]=""
	done
	for p in "${PL_SERIES[@]}"; do
		n=$(pl_posting_of "$PATCHDIR/$p")
		PL_OF[$p]=$n
		[ -z "$n" ] || PL_OF_NAME[$n]+="$p "
	done
}

# pl_count NAME: how many patches the posting has.
pl_count() {
	local a
	read -ra a <<< "${PL_OF_NAME[$1]:-}"
	echo "${#a[@]}"
}

# pl_deps NAME: the postings NAME depends on, transitively, in send
# order.  Fails on an unknown posting.
pl_deps() {
	local seen=" " todo=("$1") x d
	while [ ${#todo[@]} -gt 0 ]; do
		x=${todo[0]}
		todo=("${todo[@]:1}")
		for d in $(pl_header "$x" Depends); do
			[ -f "$PDIR/$d.cover" ] || { echo "unknown posting '$d' in Depends of $x" >&2; return 1; }
			case "$seen" in *" $d "*) continue ;; esac
			seen+="$d "
			todo+=("$d")
		done
	done
	for d in $seen; do echo "$d"; done | sort -t- -k1,1n
}

# pl_validate: the verdicts that need no build, one line each.  Returns
# 1 when any is a FAIL.
#   every patch belongs to a posting; every posting named by the map
#   has a cover file; at most POSTING_MAX patches a posting; depends
#   only on earlier postings; the series keeps each posting's patches
#   together and the postings in send order.
pl_validate() {
	local p n bad=0 prev="" prevp="" name kind pat d cnt total=0 used=0
	for p in "${PL_SERIES[@]}"; do
		if [ -z "${PL_OF[$p]}" ]; then
			echo "FAIL postings map $p # matches no rule in postings/map ($(pl_subject "$PATCHDIR/$p"))"
			bad=1
		fi
	done
	while read -r name kind pat; do
		case "$name" in ''|'#'*) continue ;; esac
		case "$kind" in subject|fixes) ;; *)
			echo "FAIL postings map # rule '$name $kind $pat': kind must be subject or fixes"; bad=1 ;;
		esac
		[ -f "$PDIR/$name.cover" ] || { echo "FAIL postings map # rule for '$name': no postings/$name.cover"; bad=1; }
	done < "$PDIR/map"
	for n in $(pl_postings); do
		cnt=$(pl_count "$n")
		total=$((total + cnt))
		[ "$cnt" = 0 ] || used=$((used + 1))
		if [ "$cnt" -gt "$POSTING_MAX" ]; then
			echo "FAIL postings size $n # $cnt patches, more than $POSTING_MAX: split it (a new .cover and map rules)"
			bad=1
		fi
		[[ $n =~ ^[0-9]+-[a-z0-9]+(-[a-z0-9]+)*$ ]] ||
			{ echo "FAIL postings name $n # must be <n>-<tree>-<topic>"; bad=1; }
		[ -n "$(pl_header "$n" Tree)" ] && [ -n "$(pl_header "$n" Subject)" ] ||
			{ echo "FAIL postings cover $n # postings/$n.cover needs Tree: and Subject: headers"; bad=1; }
		for d in $(pl_header "$n" Depends); do
			if [ ! -f "$PDIR/$d.cover" ]; then
				echo "FAIL postings deps $n # depends on '$d', which has no postings/$d.cover"
				bad=1
			elif [ "$(pl_num "$d")" -ge "$(pl_num "$n")" ]; then
				echo "FAIL postings deps $n # depends on $d, which is not sent before it"
				bad=1
			fi
		done
	done
	# Send order: walking the series, the posting numbers never go down.
	local late=()
	for p in "${PL_SERIES[@]}"; do
		n=${PL_OF[$p]}
		[ -n "$n" ] || continue
		if [ -n "$prev" ] && [ "$(pl_num "$n")" -lt "$(pl_num "$prev")" ]; then
			late+=("${p%%-*} ($n) after ${prevp%%-*} ($prev)")
		else
			prev=$n
			prevp=$p
		fi
	done
	if [ ${#late[@]} -gt 0 ]; then
		echo "FAIL postings order # ${#late[@]} patches out of send order, reorder the commits: $(printf '%s, ' "${late[@]}" | sed 's/, $//')"
		bad=1
	fi
	[ $bad = 1 ] || echo "PASS postings split # ${#PL_SERIES[@]} patches in $used postings of at most $POSTING_MAX, in send order"
	[ $bad = 0 ]
}

# pl_changes NAME V: the 'Changes in vV:' section of postings/NAME.changes
# (up to the next 'Changes in' line), or nothing.
pl_changes() {
	[ -f "$PDIR/$1.changes" ] || return 0
	awk -v v="Changes in v$2:" '/^Changes in v[0-9]+:/ { on = ($0 == v) } on' "$PDIR/$1.changes"
}
