"""`/`: the public welcome for visitors, the member's own page once signed in."""

from django.shortcuts import render
from django.urls import reverse

from communities.discussions.selectors.person_follows import news_from_people_followed
from communities.home import selectors


def home(request):
    user = request.user
    if not user.is_authenticated:
        return render(request, "communities/home.html")
    memberships = selectors.my_memberships(user)
    community_ids = [m.community_id for m in memberships]
    circles = selectors.my_circles(user)
    unread_by_community, unread_by_circle = selectors.unread_by_place(user, community_ids)
    for membership in memberships:
        membership.unread = unread_by_community.get(membership.community_id, 0)
    for circle in circles:
        circle.unread = unread_by_circle.get(circle.pk, 0)
    checklist = selectors.getting_started(
        user,
        has_community=bool(memberships),
        urls={
            "profile": reverse("communities:profile-edit"),
            "communities": reverse("communities:community-list"),
        },
    )
    return render(
        request,
        "communities/home/member_home.html",
        {
            "memberships": memberships,
            "circles": circles,
            "meetings": selectors.next_meetings(user),
            "questions": selectors.questions_for_my_expertise(user, community_ids),
            "followed": selectors.followed_threads_with_news(user),
            "people_news": news_from_people_followed(user),
            "waiting": selectors.waiting_for_me(memberships),
            "checklist": checklist,
            "suggestions": [] if memberships else selectors.suggested_communities(user),
        },
    )
